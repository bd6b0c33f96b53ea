// A group's activity page, live: when its stream (live.js) says something
// changed, the list is fetched again with the filters in force and put in
// place, keeping what is on the screen where it is.
(function () {
  "use strict";
  var home = document.getElementById("activity");
  var status = document.getElementById("activity-status");
  if (!home) return;
  var busy = false;
  var again = false;
  var said = [];

  function anchor() {
    var items = home.querySelectorAll("#activity-list li");
    for (var i = 0; i < items.length; i++) {
      var r = items[i].getBoundingClientRect();
      if (r.bottom > 0) return { id: items[i].dataset.id, top: r.top };
    }
    return null;
  }

  function refresh() {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    fetch(window.location.pathname + window.location.search, { credentials: "same-origin", headers: { "HX-Request": "true" } })
      .then(function (r) {
        return r.ok ? r.text() : "";
      })
      .then(function (html) {
        busy = false;
        if (html) {
          var at = anchor();
          var t = document.createElement("template");
          t.innerHTML = html;
          var fresh = t.content.getElementById("activity-list");
          var cur = document.getElementById("activity-list");
          if (fresh && cur && !cur.contains(document.activeElement)) {
            cur.replaceWith(fresh);
            if (at) {
              var el = fresh.querySelector('[data-id="' + at.id + '"]');
              if (el) window.scrollBy(0, el.getBoundingClientRect().top - at.top);
            }
          }
          if (status && said.length) {
            status.textContent = said.join(" ");
            said = [];
          }
        }
        if (again) {
          again = false;
          refresh();
        }
      })
      .catch(function () {
        busy = false;
      });
  }

  document.addEventListener("gloss:live", function (ev) {
    var d = ev.detail || {};
    if (d.data && d.data.announce) said.push(d.data.announce);
    refresh();
  });
})();
