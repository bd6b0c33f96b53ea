// Copy buttons beside the links and tokens Gloss shows only once
// (views/secret.templ). The text is on the page either way; this reveals
// the button, copies the text when it is pressed and says so on the button
// (inside the page's status message, so screen readers hear it). Where the
// clipboard cannot be written, the text is selected for the person to copy.
(function () {
  "use strict";

  function select(el) {
    var range = document.createRange();
    range.selectNodeContents(el);
    var sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
  }

  function say(button, word) {
    var label = button.firstChild;
    var was = button.dataset.label || label.nodeValue;
    button.dataset.label = was;
    label.nodeValue = word;
    window.setTimeout(function () {
      label.nodeValue = was;
    }, 2500);
  }

  function copy(button, el) {
    var text = el.textContent.trim();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(
        function () {
          say(button, "Copied");
        },
        function () {
          select(el);
          say(button, "Selected: press Ctrl+C");
        }
      );
      return;
    }
    select(el);
    var ok = false;
    try {
      ok = document.execCommand("copy");
    } catch (e) {
      ok = false;
    }
    say(button, ok ? "Copied" : "Selected: press Ctrl+C");
  }

  var buttons = document.querySelectorAll("button[data-copy]");
  for (var i = 0; i < buttons.length; i++) {
    (function (button) {
      var el = document.getElementById(button.dataset.copy);
      if (!el) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        copy(button, el);
      });
    })(buttons[i]);
  }
})();
