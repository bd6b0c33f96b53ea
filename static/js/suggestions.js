// Gloss reader: suggested evidence. Without this file the Suggestions
// switch is a link and the panel a list whose Accept opens the annotate
// form filled in (views/suggestions.templ); with it:
//
// - the switch turns the suggestions on and off in place (the panel comes
//   from GET /articles/{slug}/suggestions, the page's address keeps the
//   state, so a reload keeps it);
// - each suggestion is a dotted underline in the text (the CSS Custom
//   Highlight API: the text itself is not changed), one colour per kind;
//   a click on one, or Enter with the caret in it, opens a small card with
//   Accept and Dismiss (a sheet at the bottom of a narrow screen);
// - Accept opens the reader's composer on the passage with the kind and
//   its fields filled in (reader.js, GlossReader.composeAt), saved as any
//   annotation; Dismiss is sent in place and the panel comes back without it.
(function () {
  "use strict";

  var reader = window.GlossReader; // reader.js runs first (both deferred)
  var toggle = document.getElementById("suggest-toggle");
  var text = document.getElementById("article-text");
  if (!reader || !toggle || !text) return;

  var root = document.documentElement;
  var box = toggle.closest(".suggest-switch");
  var panel = document.getElementById("suggestions");
  var wide = window.matchMedia("(min-width: 64rem)");
  var KINDS = ["figure", "quote", "entity", "event"];
  var canDraw = !!(window.CSS && CSS.highlights && window.Highlight);
  var items = []; // {key, kind, start, end, fields, el}, from the panel

  toggle.hidden = false;

  function isOn() {
    return toggle.getAttribute("aria-checked") === "true";
  }

  // ---- The panel and the underlines ----

  function readItems() {
    items = [];
    if (!panel || panel.hidden) return;
    Array.prototype.forEach.call(panel.querySelectorAll("li[data-key]"), function (li) {
      var fields = {};
      try {
        fields = JSON.parse(li.dataset.fields || "{}");
      } catch (e) {
        fields = { kind: li.dataset.kind };
      }
      items.push({ key: li.dataset.key, kind: li.dataset.kind, start: +li.dataset.start, end: +li.dataset.end, fields: fields, el: li });
    });
  }

  function rangeOf(it) {
    var a = reader.pointAt(it.start);
    var b = reader.pointAt(it.end);
    if (!a || !b) return null; // in folded furniture
    var r = document.createRange();
    r.setStart(a.node, a.offset);
    r.setEnd(b.node, b.offset);
    return r;
  }

  // draw underlines every suggestion, one highlight per kind.
  function draw() {
    if (!canDraw) return;
    KINDS.forEach(function (k) {
      CSS.highlights.delete("gloss-sg-" + k);
    });
    if (!isOn()) return;
    var sets = {};
    items.forEach(function (it) {
      var r = rangeOf(it);
      if (!r) return;
      if (!sets[it.kind]) sets[it.kind] = new Highlight();
      sets[it.kind].add(r);
    });
    Object.keys(sets).forEach(function (k) {
      CSS.highlights.set("gloss-sg-" + k, sets[k]);
    });
  }

  function setCount(n) {
    Array.prototype.forEach.call(box.querySelectorAll(".count"), function (c) {
      c.textContent = n;
    });
  }

  function send(method, url, body) {
    return fetch(url, {
      method: method,
      body: body,
      credentials: "same-origin",
      headers: { "HX-Request": "true", Accept: "text/html" },
    }).then(function (r) {
      return r.text().then(function (html) {
        return { ok: r.ok, status: r.status, html: html };
      });
    });
  }

  function fragment(html) {
    var t = document.createElement("template");
    t.innerHTML = html;
    return t.content;
  }

  function failure(res) {
    var p = fragment(res.html).querySelector("[data-error]");
    return p ? p.textContent : "Gloss could not do that (error " + res.status + "): try again.";
  }

  // showPanel puts a panel the server sent in place of the current one and
  // returns what it says to announce.
  function showPanel(html) {
    var fresh = fragment(html).getElementById("suggestions");
    if (!fresh) return "";
    fresh = document.importNode(fresh, true);
    if (panel && panel.parentNode) panel.replaceWith(fresh);
    else box.insertAdjacentElement("afterend", fresh);
    panel = fresh;
    readItems();
    draw();
    setCount(panel.dataset.left);
    document.dispatchEvent(new CustomEvent("gloss:content", { detail: { root: panel } }));
    return panel.dataset.announce || "";
  }

  function loadPanel() {
    return send("GET", toggle.dataset.panel).then(function (res) {
      if (!res.ok) throw new Error(failure(res));
      return showPanel(res.html);
    });
  }

  // The page's address, and the filters' form, keep the switch's state.
  function keepState(on) {
    var q = new URLSearchParams(window.location.search);
    if (on) q.set("suggestions", "on");
    else q.delete("suggestions");
    q.delete("accept");
    var s = q.toString();
    window.history.replaceState(window.history.state, "", window.location.pathname + (s ? "?" + s : "") + window.location.hash);
    var filters = document.getElementById("reader-filters");
    if (!filters) return;
    var input = filters.querySelector("[data-suggest-filter]");
    if (on && !input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = "suggestions";
      input.value = "on";
      input.setAttribute("data-suggest-filter", "");
      filters.appendChild(input);
    } else if (!on && input) {
      input.remove();
    }
  }

  function setOn(on) {
    toggle.setAttribute("aria-checked", on ? "true" : "false");
    keepState(on);
    closePop(false);
    if (!on) {
      if (panel) panel.hidden = true;
      items = [];
      draw();
      reader.announce("Suggestions hidden.");
      return;
    }
    toggle.setAttribute("aria-busy", "true");
    loadPanel()
      .then(function () {
        toggle.removeAttribute("aria-busy");
        reader.announce(items.length + (items.length === 1 ? " suggestion" : " suggestions") + ", underlined in the text and listed in the margin.");
      })
      .catch(function (e) {
        toggle.removeAttribute("aria-busy");
        toggle.setAttribute("aria-checked", "false");
        keepState(false);
        reader.announce(e && e.message ? e.message : "Gloss could not be reached: the suggestions were not shown.");
      });
  }

  toggle.addEventListener("click", function () {
    setOn(!isOn());
  });

  // ---- Accepting and dismissing ----

  function itemOf(el) {
    var li = el.closest("[data-key]");
    if (!li) return null;
    for (var i = 0; i < items.length; i++) if (items[i].key === li.dataset.key) return items[i];
    return null;
  }

  // openFolds opens the furniture that holds an offset, so that the passage
  // can be drawn and selected.
  function openFolds(offset) {
    Array.prototype.forEach.call(text.querySelectorAll("details:not([open]) p[data-start]"), function (p) {
      if (+p.dataset.start <= offset && offset <= +p.dataset.end) p.closest("details").open = true;
    });
  }

  document.addEventListener("click", function (ev) {
    var a = ev.target.closest && ev.target.closest("a[data-accept]");
    if (!a || !(inPanel(a) || pop.contains(a))) return;
    var it = itemOf(a);
    if (!it) return;
    ev.preventDefault();
    closePop(false);
    openFolds(it.start);
    if (!reader.composeAt(it.start, it.end, it.fields)) window.location.href = a.href;
  });

  function inPanel(el) {
    return !!(panel && panel.contains(el));
  }

  // nextFocus is where the focus goes once an item is gone: the next one's
  // Accept, else the panel's heading.
  function nextFocus(key) {
    var keys = items.map(function (it) {
      return it.key;
    });
    var i = keys.indexOf(key);
    return i >= 0 && i + 1 < keys.length ? keys[i + 1] : "";
  }

  document.addEventListener("submit", function (ev) {
    var f = ev.target;
    if (!f.matches || !f.matches("form[data-dismiss], form[data-suggest-restore]")) return;
    if (!inPanel(f) && !pop.contains(f)) return;
    ev.preventDefault();
    var fromPop = pop.contains(f);
    var key = f.elements.key ? f.elements.key.value : "";
    var next = nextFocus(key);
    Array.prototype.forEach.call(f.querySelectorAll("button"), function (b) {
      b.disabled = true;
    });
    send("POST", f.action, new FormData(f))
      .then(function (res) {
        if (!res.ok) {
          Array.prototype.forEach.call(f.querySelectorAll("button"), function (b) {
            b.disabled = false;
          });
          reader.announce(failure(res));
          return;
        }
        closePop(false);
        var msg = showPanel(res.html);
        reader.announce(msg + " " + panel.dataset.left + " left.");
        var target = next && document.getElementById("s-" + next);
        if (fromPop) {
          text.focus({ preventScroll: true });
        } else if (target) {
          target.querySelector("[data-accept]").focus();
        } else {
          var h = panel.querySelector("h2");
          h.tabIndex = -1;
          h.focus();
        }
      })
      .catch(function () {
        Array.prototype.forEach.call(f.querySelectorAll("button"), function (b) {
          b.disabled = false;
        });
        reader.announce("Gloss could not be reached: nothing was dismissed.");
      });
  });

  // A save (an accepted suggestion, or any annotation) or a deletion may
  // change what is left: ask again.
  document.addEventListener("gloss:saved", function () {
    if (isOn()) loadPanel().catch(function () {});
  });
  // The text was drawn again (a change in place, a filter): so are the lines.
  document.addEventListener("gloss:content", function (ev) {
    if (!ev.detail || ev.detail.root !== panel) draw();
  });

  // ---- The card at an underline ----

  var pop = document.createElement("div");
  pop.id = "suggestion-pop";
  pop.className = "suggestion-pop";
  pop.setAttribute("role", "dialog");
  pop.setAttribute("aria-label", "Suggested evidence");
  pop.dataset.testid = "suggestion-pop";
  pop.hidden = true;
  document.body.appendChild(pop);
  var popOpener = null;

  function itemsAt(offset) {
    return items
      .filter(function (it) {
        return it.start <= offset && offset < it.end;
      })
      .sort(function (a, b) {
        return a.end - a.start - (b.end - b.start); // the innermost first
      });
  }

  function offsetAtPoint(x, y) {
    var node, offset;
    if (document.caretPositionFromPoint) {
      var p = document.caretPositionFromPoint(x, y);
      if (!p) return null;
      node = p.offsetNode;
      offset = p.offset;
    } else if (document.caretRangeFromPoint) {
      var r = document.caretRangeFromPoint(x, y);
      if (!r) return null;
      node = r.startContainer;
      offset = r.startOffset;
    } else {
      return null;
    }
    if (!text.contains(node)) return null;
    return reader.offsetAt(node, offset, false);
  }

  function openPop(hits, opener) {
    closePop(false);
    pop.textContent = "";
    var close = document.createElement("button");
    close.type = "button";
    close.className = "sheet-close secondary";
    close.textContent = "Close";
    close.addEventListener("click", function () {
      closePop(true);
    });
    pop.appendChild(close);
    var list = document.createElement("ol");
    list.className = "suggestion-list";
    hits.forEach(function (it) {
      var li = it.el.cloneNode(true);
      li.removeAttribute("id");
      li.removeAttribute("data-testid");
      list.appendChild(li);
    });
    pop.appendChild(list);
    popOpener = opener;
    pop.hidden = false;
    var r = rangeOf(hits[0]);
    if (canDraw && r) CSS.highlights.set("gloss-sg-active", new Highlight(r));
    if (wide.matches && r) {
      pop.classList.remove("as-sheet");
      var rect = r.getBoundingClientRect();
      var width = pop.offsetWidth;
      pop.style.top = rect.bottom + window.scrollY + 8 + "px";
      pop.style.left = window.scrollX + Math.max(8, Math.min(rect.left, document.documentElement.clientWidth - width - 8)) + "px";
    } else {
      pop.classList.add("as-sheet");
      root.classList.add("sheet-open");
      pop.style.top = "";
      pop.style.left = "";
    }
    var first = pop.querySelector("[data-accept]");
    if (first) first.focus({ preventScroll: true });
  }

  function closePop(restore) {
    if (pop.hidden) return;
    pop.hidden = true;
    pop.classList.remove("as-sheet");
    if (!document.getElementById("composer") || document.getElementById("composer").hidden) root.classList.remove("sheet-open");
    if (canDraw) CSS.highlights.delete("gloss-sg-active");
    if (restore && popOpener && document.contains(popOpener)) popOpener.focus({ preventScroll: true });
    popOpener = null;
  }

  text.addEventListener("click", function (ev) {
    if (!isOn() || !items.length) return;
    // A highlight's own card comes first.
    if (ev.target.closest("a.mark-ref, mark[data-ids]")) return;
    if (!window.getSelection().isCollapsed) return;
    var at = offsetAtPoint(ev.clientX, ev.clientY);
    var hits = at === null ? [] : itemsAt(at);
    if (hits.length) openPop(hits, text);
    else closePop(false);
  });

  // Enter with the caret in an underlined passage opens its card (a
  // selection's Enter is the annotate toolbar's, reader.js).
  text.addEventListener("keydown", function (ev) {
    if (ev.key !== "Enter" || ev.target !== text || !isOn()) return;
    var sel = window.getSelection();
    if (!sel.rangeCount || !sel.isCollapsed) return;
    var at = reader.offsetAt(sel.anchorNode, sel.anchorOffset, false);
    var hits = at === null ? [] : itemsAt(at);
    if (!hits.length) return;
    ev.preventDefault();
    openPop(hits, text);
  });

  pop.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape") {
      ev.preventDefault();
      ev.stopPropagation();
      closePop(true);
    }
  });
  document.addEventListener(
    "pointerdown",
    function (ev) {
      if (!pop.hidden && !pop.contains(ev.target) && !text.contains(ev.target)) closePop(false);
    },
    true
  );
  wide.addEventListener("change", function () {
    closePop(false);
  });

  // The page comes without the count when the suggestions were not
  // computed yet (the server does not hold the page for that): ask for it
  // once the page is there.
  if (toggle.dataset.countUrl && !isOn()) {
    var askCount = function () {
      fetch(toggle.dataset.countUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) {
          return r.ok ? r.json() : null;
        })
        .then(function (d) {
          if (d && !isOn()) setCount(d.left);
        })
        .catch(function () {});
    };
    if (window.requestIdleCallback) window.requestIdleCallback(askCount, { timeout: 1000 });
    else setTimeout(askCount, 0);
  }

  readItems();
  draw();
})();
