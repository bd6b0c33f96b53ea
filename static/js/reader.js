// Gloss reader: turns a text selection (made with the mouse, a finger or the
// keyboard) into an annotation. Reading never depends on this file; the
// annotate form beside the text works without it.
//
// Offsets are Unicode code points into the article's stored text (the W3C
// Web Annotation rule). Each paragraph carries its start offset as
// data-start; footnote links (.mark-ref) are not part of the text.
(function () {
  "use strict";

  var text = document.getElementById("article-text");
  var form = document.getElementById("annotate-form");
  var toolbar = document.getElementById("selection-toolbar");
  if (!text || !form || !toolbar) return;
  document.documentElement.classList.add("js");

  var current = null; // {start, end, exact} of the selection in the text
  var pointer = "mouse"; // the kind of pointer pressed last: mouse, pen or touch

  function cpLen(s) {
    var n = 0;
    for (var i = 0; i < s.length; i++) {
      var c = s.charCodeAt(i);
      if (c < 0xd800 || c > 0xdbff) n++; // count each surrogate pair once
    }
    return n;
  }

  function isRef(node) {
    var el = node.nodeType === 1 ? node : node.parentElement;
    return !!(el && el.closest(".mark-ref"));
  }

  function textNodes(p) {
    var out = [];
    var w = document.createTreeWalker(p, NodeFilter.SHOW_TEXT, null);
    for (var n = w.nextNode(); n; n = w.nextNode()) {
      if (!isRef(n)) out.push(n);
    }
    return out;
  }

  // offsetAt converts a DOM boundary point into a code-point offset in the
  // article text, or null when it is outside the paragraphs.
  function offsetAt(node, offset, isEnd) {
    if (node === text) {
      var paras = text.querySelectorAll("p[data-start]");
      if (!paras.length) return null;
      var child = text.childNodes[offset];
      var p = child && child.nodeType === 1 && child.matches("p[data-start]") ? child : null;
      if (p && !isEnd) return +p.dataset.start;
      var before = null;
      for (var i = 0; i < paras.length; i++) {
        if (child && paras[i] === child) break;
        before = paras[i];
      }
      return before ? +before.dataset.end : +paras[0].dataset.start;
    }
    var el = node.nodeType === 1 ? node : node.parentElement;
    var para = el && el.closest("p[data-start]");
    if (!para || !text.contains(para)) return null;
    var point = document.createRange();
    point.setStart(node, offset);
    var count = 0;
    var nodes = textNodes(para);
    for (var k = 0; k < nodes.length; k++) {
      var t = nodes[k];
      if (t === node) {
        count += cpLen(t.data.slice(0, offset));
        break;
      }
      if (point.comparePoint(t, t.data.length) <= 0) {
        count += cpLen(t.data);
      } else {
        break;
      }
    }
    return +para.dataset.start + count;
  }

  // quoteOf is the selected text without footnote links, paragraphs
  // joined by a blank line (the server re-checks it against its text).
  function quoteOf(range) {
    var parts = [];
    var paras = text.querySelectorAll("p[data-start]");
    for (var i = 0; i < paras.length; i++) {
      var p = paras[i];
      if (!range.intersectsNode(p)) continue;
      var s = "";
      var nodes = textNodes(p);
      for (var k = 0; k < nodes.length; k++) {
        var t = nodes[k];
        if (!range.intersectsNode(t)) continue;
        var from = t === range.startContainer ? range.startOffset : 0;
        var to = t === range.endContainer ? range.endOffset : t.data.length;
        s += t.data.slice(from, to);
      }
      parts.push(s);
    }
    return parts.join("\n\n");
  }

  // clampToText is the part of range inside the article text, or null: a
  // drag that starts in the text may end in the heading or the margin.
  function clampToText(range) {
    if (!range.intersectsNode(text)) return null;
    var whole = document.createRange();
    whole.selectNodeContents(text);
    var r = range.cloneRange();
    if (whole.comparePoint(r.startContainer, r.startOffset) < 0) r.setStart(text, 0);
    if (whole.comparePoint(r.endContainer, r.endOffset) > 0) r.setEnd(text, text.childNodes.length);
    return r;
  }

  function readSelection() {
    var sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
    var range = clampToText(sel.getRangeAt(0));
    if (!range) return null;
    var start = offsetAt(range.startContainer, range.startOffset, false);
    var end = offsetAt(range.endContainer, range.endOffset, true);
    if (start === null || end === null || end <= start) return null;
    var exact = quoteOf(range);
    if (!exact.trim()) return null;
    return { start: start, end: end, exact: exact, rect: range.getBoundingClientRect() };
  }

  function showToolbar(sel, focusFirst) {
    current = sel;
    toolbar.hidden = false;
    // Below the selection, or above it when the screen ends first (a
    // passage near the bottom of a phone's screen).
    var h = toolbar.offsetHeight;
    var top = sel.rect.bottom + 8;
    if (top + h > window.innerHeight && sel.rect.top - 8 - h >= 0) top = sel.rect.top - 8 - h;
    top += window.scrollY;
    var left = window.scrollX + Math.max(8, Math.min(sel.rect.left, document.documentElement.clientWidth - toolbar.offsetWidth - 8));
    toolbar.style.top = top + "px"; // CSSOM, allowed under our CSP
    toolbar.style.left = left + "px";
    if (focusFirst) toolbar.querySelector("button").focus();
  }

  function hideToolbar() {
    toolbar.hidden = true;
  }

  function fill(sel) {
    form.elements.start.value = sel.start;
    form.elements.end.value = sel.end;
    form.elements.exact.value = sel.exact;
    form.elements.prefix.value = "";
    form.elements.suffix.value = "";
  }

  toolbar.addEventListener("click", function (ev) {
    var btn = ev.target.closest("button[data-action]");
    if (!btn || !current) return;
    fill(current);
    hideToolbar();
    var action = btn.dataset.action;
    if (action === "highlight") {
      form.elements.body.value = "";
      form.requestSubmit();
      return;
    }
    var field = action === "tag" ? form.elements.tags : form.elements.body;
    form.scrollIntoView({ block: "nearest" });
    field.focus();
  });

  toolbar.addEventListener("keydown", function (ev) {
    var buttons = Array.prototype.slice.call(toolbar.querySelectorAll("button"));
    var i = buttons.indexOf(document.activeElement);
    if (ev.key === "Escape") {
      hideToolbar();
      text.focus();
      ev.preventDefault();
    } else if (ev.key === "ArrowRight" || ev.key === "ArrowLeft") {
      var next = (i + (ev.key === "ArrowRight" ? 1 : buttons.length - 1)) % buttons.length;
      buttons[next].focus();
      ev.preventDefault();
    }
  });

  function followSelection() {
    var sel = readSelection();
    if (sel) showToolbar(sel, false);
    else if (!toolbar.contains(document.activeElement)) hideToolbar();
  }

  // Pressing anywhere but on the toolbar starts over: a toolbar left open
  // would annotate the passage selected before.
  document.addEventListener("pointerdown", function (ev) {
    pointer = ev.pointerType || "mouse";
    if (!toolbar.contains(ev.target)) hideToolbar();
  }, true);

  // A mouse selection ends where the button is released, which may be
  // outside the text (in the margin, past the last line).
  document.addEventListener("mouseup", function (ev) {
    if (toolbar.contains(ev.target)) return;
    setTimeout(followSelection, 0); // after the browser updates the selection
  });

  // A finger or pen selects with a long press and then the handles, which
  // fire no mouseup: follow the selection itself once it settles.
  var settling = 0;
  document.addEventListener("selectionchange", function () {
    if (pointer === "mouse") return;
    clearTimeout(settling);
    settling = setTimeout(followSelection, 300);
  });

  // Keyboard selection: the text is focusable; arrows move a caret, Shift
  // with arrows extends the selection (Ctrl or Alt: by word), Enter opens
  // the toolbar.
  text.tabIndex = 0;
  text.setAttribute("aria-describedby", "keyboard-hint");
  var hint = document.createElement("p");
  hint.id = "keyboard-hint";
  hint.className = "visually-hidden";
  hint.textContent = "To annotate with the keyboard: use the arrow keys to move, Shift and the arrow keys to select, then Enter.";
  text.parentNode.insertBefore(hint, text);

  text.addEventListener("focus", function () {
    var sel = window.getSelection();
    if (sel.rangeCount && text.contains(sel.anchorNode)) return;
    var first = text.querySelector("p[data-start]");
    var nodes = first ? textNodes(first) : [];
    if (nodes.length) sel.collapse(nodes[0], 0);
  });

  var moves = { ArrowLeft: "backward", ArrowRight: "forward", ArrowUp: "backward", ArrowDown: "forward" };
  text.addEventListener("keydown", function (ev) {
    if (ev.target !== text) return;
    var sel = window.getSelection();
    if (moves[ev.key] && sel.modify) {
      var granularity = ev.key === "ArrowUp" || ev.key === "ArrowDown" ? "line" : ev.ctrlKey || ev.altKey ? "word" : "character";
      sel.modify(ev.shiftKey ? "extend" : "move", moves[ev.key], granularity);
      ev.preventDefault();
      hideToolbar();
    } else if (ev.key === "Enter") {
      var s = readSelection();
      if (s) {
        showToolbar(s, true);
        ev.preventDefault();
      }
    } else if (ev.key === "Escape") {
      hideToolbar();
    }
  });

  // Clicking a highlight focuses its card; the card's quote links back.
  text.addEventListener("click", function (ev) {
    var mark = ev.target.closest("mark[data-ids]");
    if (!mark || !window.getSelection().isCollapsed) return;
    var ids = mark.dataset.ids.split(" ");
    var card = document.getElementById("a-" + ids[ids.length - 1]);
    if (card) {
      card.scrollIntoView({ block: "nearest" });
      card.focus();
      flash(card);
    }
  });

  function flash(el) {
    el.classList.remove("flash-target");
    void el.offsetWidth; // restart the animation
    el.classList.add("flash-target");
  }

  window.addEventListener("hashchange", function () {
    var el = document.getElementById(location.hash.slice(1));
    if (el) flash(el.classList.contains("mark-start") ? el.nextElementSibling || el : el);
  });

  // Deleting asks first.
  document.addEventListener("submit", function (ev) {
    var msg = ev.target.dataset && ev.target.dataset.confirm;
    if (msg && !window.confirm(msg)) ev.preventDefault();
  });
})();
