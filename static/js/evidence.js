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
