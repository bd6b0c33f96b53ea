// Shows only the annotate form's fieldset for the chosen kind. Without
// JavaScript every fieldset shows and the Kind select decides which counts.
(function () {
  "use strict";
  var select = document.querySelector("[data-evidence-kind]");
  if (!select) return;
  var sets = document.querySelectorAll(".evidence-fieldset[data-kind]");
  function update() {
    for (var i = 0; i < sets.length; i++) {
      sets[i].hidden = sets[i].getAttribute("data-kind") !== select.value;
    }
  }
  select.addEventListener("change", update);
  // The suggestions for names and what is counted come when the Kind
  // fields are first opened (the page leaves them out: they cost the
  // server a query per entity).
  var details = select.closest("[data-suggest]");
  var asked = false;
  function fill(id, list) {
    var dl = document.getElementById(id);
    if (!dl || !list) return;
    for (var i = 0; i < list.length; i++) {
      var o = document.createElement("option");
      o.value = list[i];
      dl.appendChild(o);
    }
  }
  function suggest() {
    if (asked || !details || !details.open || !details.getAttribute("data-suggest")) return;
    asked = true;
    fetch(details.getAttribute("data-suggest"), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (d) {
        if (!d) { asked = false; return; }
        fill("entity-suggestions", d.entities);
        fill("counted-suggestions", d.counted);
      })
      .catch(function () { asked = false; });
  }
  if (details) {
    details.addEventListener("toggle", suggest);
    suggest();
  }
  // The toolbar's Highlight saves at once: always as a plain highlight.
  document.addEventListener("click", function (e) {
    var t = e.target;
    if (t && t.closest && t.closest('[data-action="highlight"]')) {
      select.value = "comment";
      update();
    }
  }, true);
  update();
})();
