// The Kind fields of an annotate or edit form: shows only the fieldset of
// the chosen kind. Without JavaScript every fieldset shows and the Kind
// select decides which counts. Forms added later (a card edited in place)
// are set up when the reader announces them ("gloss:content").
(function () {
  "use strict";

  function update(select) {
    var form = select.closest("form") || document;
    var sets = form.querySelectorAll(".evidence-fieldset[data-kind]");
    for (var i = 0; i < sets.length; i++) {
      sets[i].hidden = sets[i].getAttribute("data-kind") !== select.value;
    }
  }

  function init(root) {
    var selects = (root || document).querySelectorAll("[data-evidence-kind]");
    for (var i = 0; i < selects.length; i++) update(selects[i]);
  }

  document.addEventListener("change", function (e) {
    if (e.target.matches && e.target.matches("[data-evidence-kind]")) update(e.target);
  });
  document.addEventListener("gloss:content", function (e) {
    init(e.detail && e.detail.root);
  });

  // The suggestions for names and what is counted come when Kind fields
  // are first opened (the page leaves them out: they cost the server a
  // query per entity). The page holds one set of lists, for every form.
  var asked = false;
  function fill(id, list) {
    var dl = document.getElementById(id);
    if (!dl || !list) return;
    dl.textContent = "";
    for (var i = 0; i < list.length; i++) {
      var o = document.createElement("option");
      o.value = list[i];
      dl.appendChild(o);
    }
  }
  function suggest(details) {
    var url = details.getAttribute("data-suggest");
    if (asked || !details.open || !url) return;
    asked = true;
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) {
        return r.ok ? r.json() : null;
      })
      .then(function (d) {
        if (!d) {
          asked = false;
          return;
        }
        fill("entity-suggestions", d.entities);
        fill("counted-suggestions", d.counted);
      })
      .catch(function () {
        asked = false;
      });
  }
  // toggle does not bubble: listen on the way down.
  document.addEventListener(
    "toggle",
    function (e) {
      if (e.target.matches && e.target.matches("details[data-suggest]")) suggest(e.target);
    },
    true
  );
  function suggestOpen() {
    var open = document.querySelectorAll("details[data-suggest][open]");
    for (var i = 0; i < open.length; i++) suggest(open[i]);
  }
  // A save made in place may have named someone new: ask again.
  document.addEventListener("gloss:saved", function () {
    asked = false;
    suggestOpen();
  });
  suggestOpen();
  init(document);
})();
