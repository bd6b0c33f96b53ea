// Gloss mentions: typing @ in a comment, reply or note offers the people who
// can see it (GET /mentions, asked with its audience or the annotation
// answered); choosing one writes @[Name]. Without JavaScript, @[Name] is
// typed by hand; either way the server checks each mention when saving and
// refuses one of someone who could not see the text.
(function () {
  "use strict";

  var list = document.createElement("ul");
  list.id = "mention-list";
  list.className = "mention-list";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "People to mention");
  list.dataset.testid = "mention-list";
  list.hidden = true;
  document.body.appendChild(list);

  var field = null; // the textarea the list is for
  var start = -1; // where the @ being completed starts in it
  var active = -1;
  var items = [];
  var timer = 0;
  var asked = 0; // the latest request, so an older answer is dropped

  // target is what a text in this form would be seen by, as /mentions
  // takes it.
  function target(f) {
    var form = f.form;
    if (!form) return null;
    var m = /\/annotations\/(\d+)\/replies$/.exec(form.getAttribute("action") || "");
    if (m) return "parent=" + m[1];
    var vis = form.elements.visibility;
    if (vis && vis.value) {
      var q = "visibility=" + encodeURIComponent(vis.value);
      var g = form.elements.group;
      if (vis.value === "group" && g && g.value) q += "&group=" + encodeURIComponent(g.value);
      return q;
    }
    m = /\/annotations\/(\d+)\/edit$/.exec(form.getAttribute("action") || "");
    if (m) return "annotation=" + m[1];
    return null;
  }

  function close() {
    list.hidden = true;
    items = [];
    active = -1;
    if (field) {
      field.removeAttribute("aria-activedescendant");
    }
  }

  function show(found) {
    list.textContent = "";
    items = found;
    if (!found.length) {
      close();
      return;
    }
    found.forEach(function (p, i) {
      var li = document.createElement("li");
      li.id = "mention-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", i === 0 ? "true" : "false");
      li.textContent = p.name;
      li.addEventListener("mousedown", function (ev) {
        ev.preventDefault(); // keep the focus in the text
        choose(i);
      });
      list.appendChild(li);
    });
    var r = field.getBoundingClientRect();
    list.style.left = window.scrollX + r.left + "px";
    list.style.top = window.scrollY + r.bottom + 2 + "px";
    list.hidden = false;
    select(0);
  }

  function select(i) {
    active = i;
    Array.prototype.forEach.call(list.children, function (li, k) {
      li.setAttribute("aria-selected", k === i ? "true" : "false");
    });
    field.setAttribute("aria-activedescendant", "mention-" + i);
  }

  function choose(i) {
    var p = items[i];
    if (!p || !field) return;
    var caret = field.selectionStart;
    var before = field.value.slice(0, start);
    var after = field.value.slice(caret);
    field.value = before + p.token + " " + after;
    var at = before.length + p.token.length + 1;
    field.setSelectionRange(at, at);
    close();
    field.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function onInput(ev) {
    var f = ev.target;
    if (!f.matches || !f.matches("textarea[name=body]")) return;
    var q = target(f);
    if (!q) return;
    var upto = f.value.slice(0, f.selectionStart);
    var m = /(^|[\s(])@\[?([^\]\n@[]{0,40})$/.exec(upto);
    if (!m) {
      if (field === f) close();
      return;
    }
    field = f;
    field.setAttribute("aria-autocomplete", "list");
    field.setAttribute("aria-controls", "mention-list");
    start = upto.length - m[2].length - (upto.charAt(upto.length - m[2].length - 1) === "[" ? 2 : 1);
    clearTimeout(timer);
    var n = ++asked;
    timer = setTimeout(function () {
      fetch("/mentions?" + q + "&q=" + encodeURIComponent(m[2]), { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) {
          return r.ok ? r.json() : [];
        })
        .then(function (found) {
          if (n === asked && field === f) show(found || []);
        })
        .catch(close);
    }, 150);
  }

  document.addEventListener("input", onInput);
  document.addEventListener(
    "keydown",
    function (ev) {
      if (list.hidden || ev.target !== field) return;
      if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
        var n = items.length;
        select((active + (ev.key === "ArrowDown" ? 1 : n - 1)) % n);
        ev.preventDefault();
      } else if (ev.key === "Enter" || ev.key === "Tab") {
        if (ev.ctrlKey || ev.metaKey) return; // Ctrl+Enter saves
        choose(active);
        swallow = true; // the Enter chose: it writes no line break
        ev.preventDefault();
        ev.stopPropagation();
      } else if (ev.key === "Escape") {
        close();
        ev.preventDefault();
        ev.stopPropagation();
      }
    },
    true
  );
  var swallow = false;
  document.addEventListener(
    "beforeinput",
    function (ev) {
      if (swallow && (ev.inputType === "insertLineBreak" || ev.inputType === "insertParagraph" || ev.data === "\n" || ev.data === "\r")) {
        ev.preventDefault();
      }
    },
    true
  );
  document.addEventListener("keyup", function () {
    swallow = false;
  });
  document.addEventListener("focusout", function (ev) {
    if (ev.target === field) setTimeout(close, 150);
  });
})();
