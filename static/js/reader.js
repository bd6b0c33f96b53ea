// Gloss reader: annotating in place. Reading never depends on this file:
// every form in the reader works without it, reloading the page.
//
// With it: a selection (mouse, finger or keyboard) opens a toolbar that
// says who a quick highlight is for; Comment and Tag open the annotate form
// as a composer beside the selection (in the margin on a wide screen, a
// bottom sheet on a narrow one) while the selected words stay marked.
// Every change (highlight, comment, reply, edit, delete with Undo, hide,
// tag, note) and every filter is sent with the HX-Request header, and the
// server answers with the reader's parts (views.ReaderParts), which are
// merged into the page without moving what the reader is looking at. On a
// wide screen each card sits level with its passage.
//
// Offsets are Unicode code points into the article's stored text (the W3C
// Web Annotation rule). Each paragraph carries its start offset as
// data-start; the highlights' markers (.mark-ref) are not part of the text.
(function () {
  "use strict";

  var reader = document.getElementById("reader");
  var text = document.getElementById("article-text");
  if (!reader || !text) return;
  var root = document.documentElement;
  root.classList.add("js");

  var margin = document.getElementById("margin");
  var cardsSection = document.getElementById("annotations");
  var notesSection = document.getElementById("notes");
  var status = document.getElementById("reader-status");
  var toolbar = document.getElementById("selection-toolbar"); // signed in only
  var form = document.getElementById("annotate-form"); // signed in only
  var audienceSelect = document.getElementById("toolbar-audience");
  var filters = document.getElementById("reader-filters");
  var wide = window.matchMedia("(min-width: 64rem)");
  var UNDO_MS = 5000; // how long Delete can be undone
  var GAP = 12; // px between cards in the margin
  var tagsStale = true; // the tag suggestions are to be asked for (again)

  // ---- Text offsets ----

  function cpLen(s) {
    var n = 0;
    for (var i = 0; i < s.length; i++) {
      var c = s.charCodeAt(i);
      if (c < 0xdc00 || c > 0xdfff) n++; // a surrogate pair counts once
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

  // paragraphs are the text's paragraphs that can be selected: not those
  // folded away in furniture.
  function paragraphs() {
    return Array.prototype.filter.call(text.querySelectorAll("p[data-start]"), function (p) {
      return !p.closest("details:not([open])");
    });
  }

  // offsetAt converts a DOM boundary point into a code-point offset in the
  // article text, or null when it is outside the paragraphs.
  function offsetAt(node, offset, isEnd) {
    var el = node.nodeType === 1 ? node : node.parentElement;
    var para = el && el.closest("p[data-start]");
    if (!para || !text.contains(para)) {
      // Between paragraphs (or in a collapsed furniture's summary): the
      // nearest paragraph edge in the direction of the selection.
      var paras = paragraphs();
      if (!paras.length) return null;
      var point = document.createRange();
      point.setStart(node, offset);
      for (var i = 0; i < paras.length; i++) {
        if (point.comparePoint(paras[i], 0) >= 0) {
          // paras[i] starts after the point
          if (!isEnd) return +paras[i].dataset.start;
          return i > 0 ? +paras[i - 1].dataset.end : +paras[0].dataset.start;
        }
      }
      return +paras[paras.length - 1].dataset.end;
    }
    var at = document.createRange();
    at.setStart(node, offset);
    var count = 0;
    var nodes = textNodes(para);
    for (var k = 0; k < nodes.length; k++) {
      var t = nodes[k];
      if (t === node) {
        count += cpLen(t.data.slice(0, offset));
        break;
      }
      if (at.comparePoint(t, t.data.length) <= 0) {
        count += cpLen(t.data);
      } else {
        break;
      }
    }
    return +para.dataset.start + count;
  }

  // quoteOf is the selected text without the markers, paragraphs joined by
  // a blank line (the server checks it against its text).
  function quoteOf(range) {
    var parts = [];
    var paras = paragraphs();
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
      if (s) parts.push(s);
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
    return { start: start, end: end, exact: exact, range: range, rect: range.getBoundingClientRect() };
  }

  // ---- Messages ----

  function announce(msg) {
    if (!status || !msg) return;
    status.textContent = "";
    // A new text node after a frame, so the same message twice is read twice.
    window.requestAnimationFrame(function () {
      status.textContent = msg;
    });
  }

  function flash(el) {
    if (!el) return;
    el.classList.remove("flash-target");
    void el.offsetWidth; // restart the animation
    el.classList.add("flash-target");
  }

  // ---- Talking to the server ----

  // withFilters keeps the reader's query (its filters, a passage pointed
  // at) on a request, with the pages of cards the margin holds, so the
  // parts come back as the page shows them.
  function withFilters(url, pages) {
    var q = new URLSearchParams(window.location.search);
    var h = pages || held();
    q.delete("cards");
    if (h.first !== 1 || h.last !== 1) q.set("cards", h.first === h.last ? String(h.first) : h.first + "-" + h.last);
    if (pages) q.set("part", "cards");
    var s = q.toString();
    if (!s) return url;
    return url + (url.indexOf("?") < 0 ? "?" : "&") + s;
  }

  // held is the pages of cards the margin holds (handlers/margin.go).
  function held() {
    var cl = document.getElementById("card-list");
    var d = cl ? cl.dataset : {};
    return { first: +d.first || 1, last: +d.last || 1, pages: +d.pages || 1 };
  }

  // posting counts the page's own writes in flight, postsStarted all it
  // began: live refreshes wait for them (see liveRefresh).
  var posting = 0;
  var postsStarted = 0;

  function send(method, url, body, keepalive) {
    var p = fetch(url, {
      method: method,
      body: body,
      credentials: "same-origin",
      keepalive: !!keepalive,
      headers: { "HX-Request": "true", Accept: "text/html" },
    }).then(function (r) {
      return r.text().then(function (html) {
        return { ok: r.ok, status: r.status, html: html };
      });
    });
    if (method === "POST") {
      posting++;
      postsStarted++;
      // After the caller's own handlers have applied the answer.
      var done = function () {
        setTimeout(function () {
          posting--;
          if (!posting) livePending();
        }, 0);
      };
      p.then(done, done);
    }
    return p;
  }

  function parse(html) {
    var t = document.createElement("template");
    t.innerHTML = html;
    return t.content;
  }

  // sig fingerprints a card as the server rendered it, so a merge keeps
  // the cards that did not change (with whatever the reader opened in
  // them) and replaces the rest.
  function sig(s) {
    var h = 2166136261;
    for (var i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 16777619);
    }
    return (h >>> 0).toString(36);
  }

  function signAll(list) {
    if (!list) return;
    for (var i = 0; i < list.children.length; i++) {
      var li = list.children[i];
      if (!li.dataset.sig) li.dataset.sig = sig(li.innerHTML);
    }
  }

  // mergeKeyed makes list hold fresh's items in fresh's order, reusing
  // unchanged items (same id, same fingerprint). keep, when given, names
  // old items to leave as they are for now (someone is writing in them).
  function mergeKeyed(list, fresh, keep) {
    var old = {};
    for (var i = 0; i < list.children.length; i++) old[list.children[i].dataset.id] = list.children[i];
    var want = [];
    while (fresh.firstElementChild) {
      var n = fresh.firstElementChild;
      fresh.removeChild(n);
      var s = sig(n.innerHTML);
      var o = old[n.dataset.id];
      if (o && o.dataset.sig !== s && keep && keep(o)) {
        want.push(o);
        delete old[n.dataset.id];
        liveStale = true;
        continue;
      }
      if (o && o.dataset.sig === s) {
        o.dataset.start = n.dataset.start || "";
        o.dataset.end = n.dataset.end || "";
        want.push(o);
        delete old[n.dataset.id];
      } else {
        n = document.importNode(n, true);
        n.dataset.sig = s;
        if (o) o.dataset.replaced = "1";
        want.push(n);
      }
    }
    Object.keys(old).forEach(function (id) {
      if (old[id].parentNode === list) list.removeChild(old[id]);
    });
    for (var k = 0; k < want.length; k++) {
      var at = list.children[k];
      if (at !== want[k]) {
        if (want[k].parentNode === list) list.removeChild(want[k]);
        list.insertBefore(want[k], at || null);
      }
    }
    for (var j = list.children.length - 1; j >= want.length; j--) list.removeChild(list.children[j]);
  }

  // signText notes what the server sent for each paragraph of the text.
  function signText() {
    var ps = text.querySelectorAll("p[data-start]");
    for (var i = 0; i < ps.length; i++) ps[i].dataset.sig = sig(ps[i].innerHTML);
  }

  // mergeText brings the highlights up to date paragraph by paragraph, so
  // a selection or focus elsewhere in the text survives.
  function mergeText(fresh) {
    text.className = fresh.className;
    var olds = text.querySelectorAll("p[data-start]");
    var news = fresh.querySelectorAll("p[data-start]");
    var same = olds.length === news.length;
    for (var i = 0; same && i < olds.length; i++) same = olds[i].id === news[i].id;
    if (!same) {
      text.innerHTML = fresh.innerHTML;
      signText();
      return;
    }
    // Compared with what the server sent last, not with the page: a
    // paragraph under the pointer has highlights marked as hovered, and
    // replacing it would end a selection being dragged across it.
    for (var k = 0; k < olds.length; k++) {
      var s = sig(news[k].innerHTML);
      if (olds[k].dataset.sig === s) continue;
      olds[k].innerHTML = news[k].innerHTML;
      olds[k].dataset.sig = s;
    }
    var oldF = text.querySelectorAll("details.furniture");
    var newF = fresh.querySelectorAll("details.furniture");
    for (var f = 0; f < oldF.length && f < newF.length; f++) {
      if (newF[f].open) oldF[f].open = true; // something in it is highlighted now
    }
  }

  function replaceById(frag, id) {
    var fresh = frag.getElementById(id);
    var cur = document.getElementById(id);
    if (fresh && cur) cur.replaceWith(document.importNode(fresh, true));
  }

  // applyParts merges a ReaderParts answer into the page and returns its
  // update (announcement, focus), or null. live: the answer follows someone
  // else's change, so what the reader is in the middle of (a selection, a
  // reply being typed, an edit) is left as it is, to be brought up to date
  // once they are done.
  function applyParts(frag, live) {
    tagsStale = true; // a change may have brought a new tag
    var t = frag.getElementById("article-text");
    if (t && live && textBusy()) liveStale = true;
    else if (t) mergeText(t);
    var cl = frag.getElementById("card-list");
    var list = document.getElementById("cards");
    if (cl && list) {
      var freshList = cl.querySelector("#cards");
      var home = list.parentNode;
      home.dataset.first = cl.dataset.first;
      home.dataset.last = cl.dataset.last;
      home.dataset.pages = cl.dataset.pages;
      // Everything around the list (the empty message, orphans) is replaced.
      Array.prototype.slice.call(home.children).forEach(function (c) {
        if (c !== list) home.removeChild(c);
      });
      var before = true;
      Array.prototype.slice.call(cl.children).forEach(function (c) {
        if (c === freshList) {
          before = false;
          return;
        }
        home.insertBefore(document.importNode(c, true), before ? list : null);
      });
      mergeKeyed(list, freshList, live ? cardBusy : null);
    }
    var nl = frag.getElementById("note-list");
    var notes = document.getElementById("note-list");
    if (nl && notes) mergeKeyed(notes, nl, live ? cardBusy : null);
    ["annotation-count", "note-count"].forEach(function (id) {
      var fresh = frag.getElementById(id);
      if (!fresh) return;
      var cur = document.getElementById(id);
      if (cur) cur.textContent = fresh.textContent;
      var tab = document.querySelector('[data-count-of="' + id + '"]');
      if (tab) tab.textContent = fresh.textContent;
    });
    var tags = frag.getElementById("article-tags");
    var curTags = document.getElementById("article-tags");
    if (tags && curTags && !curTags.contains(document.activeElement)) replaceById(frag, "article-tags");
    var upd = frag.getElementById("reader-update");
    if (upd && audienceSelect && upd.dataset.audience && !live) {
      audienceSelect.dataset.default = upd.dataset.audience;
      if (audienceSelect.value !== "public") setAudience(upd.dataset.audience);
    }
    document.dispatchEvent(new CustomEvent("gloss:content", { detail: { root: reader } }));
    pairActive();
    doLayout(); // now, so what is focused next is measured where it will stay
    watchPager();
    return upd;
  }

  // ---- Live: other people's changes, as they happen (static/js/live.js) ----

  var liveBusy = false; // a request for the parts is out
  var liveAgain = false; // another change came meanwhile
  var liveStale = false; // something was left as it was: bring it up to date later
  var liveSay = []; // what to announce once the parts are in

  // textPressed: a pointer is down in the text, perhaps starting a
  // selection (which is still empty while the press has not moved).
  var textPressed = false;
  text.addEventListener("pointerdown", function () {
    textPressed = true;
  }, true);
  ["pointerup", "pointercancel"].forEach(function (type) {
    document.addEventListener(type, function () {
      if (!textPressed) return;
      setTimeout(function () {
        textPressed = false;
        if (liveStale && !liveBusy && !textBusy()) liveRefresh();
      }, 0);
    }, true);
  });

  // textBusy: the reader is selecting words or writing about a selection.
  function textBusy() {
    if (composerOpen || textPressed) return true;
    var s = window.getSelection();
    return !!(s && !s.isCollapsed && s.rangeCount && text.contains(s.anchorNode));
  }

  // cardBusy: a card (or note) the reader is in: focused, being edited,
  // replied to, or waiting for Undo.
  function cardBusy(li) {
    if (li.contains(document.activeElement)) return true;
    if (li.querySelector(".edit-form, .undo-bar")) return true;
    var typed = li.querySelectorAll("details[open] textarea");
    for (var i = 0; i < typed.length; i++) if (typed[i].value) return true;
    return false;
  }

  // anchorPoint is the first paragraph or card at the top of the screen,
  // and where it is: a change above it must not move what is being read.
  function anchorPoint() {
    var els = text.querySelectorAll("p[data-start]");
    var cards = document.querySelectorAll("#cards > li, #note-list > li");
    var list = Array.prototype.slice.call(els).concat(Array.prototype.slice.call(cards));
    var best = null;
    for (var i = 0; i < list.length; i++) {
      var r = list[i].getBoundingClientRect();
      if (r.bottom > 0 && r.top < window.innerHeight && (!best || r.top < best.top)) best = { el: list[i], top: r.top };
    }
    return best;
  }

  function liveRefresh() {
    if (liveBusy || pagesBusy) {
      liveAgain = true;
      return;
    }
    if (posting) {
      liveWaiting.push({ type: "refresh" });
      return;
    }
    liveBusy = true;
    liveStale = false;
    var since = postsStarted;
    send("GET", withFilters(window.location.pathname))
      .then(function (res) {
        liveBusy = false;
        if (since !== postsStarted) {
          // The page wrote meanwhile: these parts may predate its write
          // and would undo it on screen. Ask again once it is done.
          liveAgain = false;
          if (posting) liveWaiting.push({ type: "refresh" });
          else liveRefresh();
          return;
        }
        if (res.ok) {
          var at = anchorPoint();
          applyParts(parse(res.html), true);
          if (at && document.contains(at.el)) {
            var moved = at.el.getBoundingClientRect().top - at.top;
            if (Math.abs(moved) >= 1) window.scrollBy(0, moved);
          }
          var said = liveSay.filter(function (m, i) {
            return m && liveSay.indexOf(m) === i;
          });
          liveSay = [];
          if (said.length) announce(said.join(" "));
          document.dispatchEvent(new CustomEvent("gloss:live-applied"));
        }
        if (liveAgain) {
          liveAgain = false;
          liveRefresh();
        }
      })
      .catch(function () {
        liveBusy = false;
      });
  }

  // The page's own writes come back on its stream too. Their answer
  // already changed the page, so a change this page just saved (not
  // announced: it is the reader's own) asks for nothing; while a write is
  // out, changes wait for its answer to tell whose they are.
  var liveWaiting = [];
  var mine = {}; // "a-12" / "n-3": when this page saved it

  document.addEventListener("gloss:saved", function (ev) {
    var d = ev.detail || {};
    if (d.focus) mine[d.focus] = Date.now();
    if (d.deleted) mine["a-" + d.deleted] = Date.now();
  });

  function ownChange(d) {
    if (d.type !== "change" || !d.data || d.data.announce) return false;
    var key = d.data.note ? "n-" + d.data.note : d.data.annotation ? "a-" + d.data.annotation : "";
    return !!(key && mine[key] && Date.now() - mine[key] < 10000);
  }

  function liveTake(d) {
    if (ownChange(d)) return;
    if (d.data && d.data.announce) liveSay.push(d.data.announce);
    liveRefresh();
  }

  function livePending() {
    var list = liveWaiting;
    liveWaiting = [];
    list.forEach(liveTake);
  }

  document.addEventListener("gloss:live", function (ev) {
    var d = ev.detail || {};
    if (posting) liveWaiting.push(d);
    else liveTake(d);
  });

  // What was left as it was comes up to date once the reader leaves it.
  document.addEventListener("focusout", function () {
    setTimeout(function () {
      if (liveStale && !liveBusy) liveRefresh();
    }, 300);
  });
  document.addEventListener("selectionchange", function () {
    if (liveStale && !liveBusy && !textBusy()) {
      setTimeout(function () {
        if (liveStale && !liveBusy && !textBusy()) liveRefresh();
      }, 500);
    }
  });

  // focusTarget moves the focus to an updated element, opening what hides
  // it, without scrolling when it is already in view.
  function focusTarget(id) {
    var el = id && document.getElementById(id);
    if (!el) return false;
    // On a narrow screen the cards are far below the text: the focus goes
    // to the new highlight's marker, in place, unless a sheet shows it.
    if (!wide.matches && /^a-/.test(id) && !(sheet && sheet.el.contains(el))) {
      var ref = text.querySelector('a.mark-ref[data-id="' + id.slice(2) + '"]');
      if (ref) {
        ref.focus({ preventScroll: true });
        return true;
      }
    }
    var fold = el.closest("details:not([open])");
    while (fold) {
      fold.open = true;
      fold = fold.parentElement.closest("details:not([open])");
    }
    if (notesSection && notesSection.contains(el)) selectTab("notes");
    else if (cardsSection && cardsSection.contains(el)) selectTab("annotations");
    var r = el.getBoundingClientRect();
    var inView = r.top >= 0 && r.bottom <= window.innerHeight;
    el.focus({ preventScroll: true });
    if (!inView) el.scrollIntoView({ block: "nearest" });
    return true;
  }

  // ---- Errors in a form sent in place ----

  function clearErrors(f) {
    var box = f.querySelector(".inplace-error");
    if (box) box.remove();
    Array.prototype.forEach.call(f.querySelectorAll(".field-error"), function (p) {
      p.remove();
    });
    Array.prototype.forEach.call(f.querySelectorAll("[aria-invalid]"), function (el) {
      el.removeAttribute("aria-invalid");
      if (el.dataset.describedby !== undefined) {
        if (el.dataset.describedby) el.setAttribute("aria-describedby", el.dataset.describedby);
        else el.removeAttribute("aria-describedby");
      }
    });
    var pre = f.querySelector(".quote-preview");
    if (pre) pre.classList.remove("is-invalid");
  }

  // showError puts a refusal in the form that was sent, beside the field it
  // is about, and keeps everything typed.
  function showError(f, msg, field) {
    clearErrors(f);
    var box = document.createElement("p");
    box.className = "flash error inplace-error";
    box.setAttribute("role", "alert");
    box.dataset.testid = "form-error";
    box.textContent = msg;
    f.insertBefore(box, f.firstChild);
    var input = field && f.elements[field];
    if (input && input.nodeType === 1 && input.type !== "hidden") {
      var visible = input.offsetParent !== null;
      if (!visible && field === "exact") {
        var pre = f.querySelector(".quote-preview");
        if (pre) pre.classList.add("is-invalid");
        return;
      }
      var p = document.createElement("p");
      p.className = "field-error";
      p.id = input.id + "-error";
      p.textContent = msg;
      input.insertAdjacentElement("afterend", p);
      input.dataset.describedby = input.getAttribute("aria-describedby") || "";
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", p.id);
      input.focus();
    }
  }

  function busy(f, on) {
    f.setAttribute("aria-busy", on ? "true" : "false");
    Array.prototype.forEach.call(f.querySelectorAll('button[type="submit"]'), function (b) {
      b.disabled = on;
    });
  }

  function failed(res) {
    var p = parse(res.html).querySelector("[data-error]");
    return {
      msg: p ? p.textContent : "Gloss could not save this (error " + res.status + "). What you typed is kept: try again.",
      field: p ? p.dataset.field : "",
    };
  }

  var offline = "Gloss could not be reached: check the connection and save again. What you typed is kept.";

  // save sends a form's data in place and applies the answer. opts.before
  // runs on success before the page changes (closing the composer),
  // opts.after once it has; opts.stay leaves the focus where it is.
  function save(f, url, data, opts) {
    opts = opts || {};
    busy(f, true);
    var t0 = performance.now();
    send("POST", withFilters(url), data)
      .then(function (res) {
        busy(f, false);
        if (!res.ok) {
          var e = failed(res);
          showError(f, e.msg, e.field);
          return;
        }
        clearErrors(f);
        var frag = parse(res.html);
        if (opts.before) opts.before();
        var upd = applyParts(frag);
        if (upd) {
          announce(upd.dataset.announce);
          if (upd.dataset.focus && !opts.stay) focusTarget(upd.dataset.focus);
        }
        if (opts.after) opts.after(upd);
        document.dispatchEvent(new CustomEvent("gloss:saved", { detail: { ms: performance.now() - t0, focus: upd ? upd.dataset.focus : "" } }));
      })
      .catch(function () {
        busy(f, false);
        showError(f, offline, "");
      });
  }

  // ---- Cards beside their passages ----

  var activeId = ""; // the card level with its passage, brought there by focus
  var composerOpen = false;
  var composer = null;
  var composerAt = 0; // page y of the selection the composer belongs to

  function markOf(id) {
    return text.querySelector('mark[data-ids~="' + id + '"]');
  }

  // passageTop is the page y of a card's passage, or null when it is not
  // drawn (highlights hidden or filtered away).
  function passageTop(id) {
    var m = markOf(id);
    if (!m) return null;
    var fold = m.closest("details:not([open])");
    var r = (fold ? fold.querySelector("summary") : m).getClientRects()[0];
    return r ? r.top + window.scrollY : null;
  }

  function besideMode() {
    return wide.matches && !text.classList.contains("no-highlights") && !(cardsSection && cardsSection.hidden);
  }

  // layout places each card level with its passage on a wide screen:
  // cards that would overlap stack downwards, and the active card (or the
  // composer) sits exactly level with its passage, the others making room.
  var laying = 0;
  function layout() {
    if (laying) return;
    laying = window.requestAnimationFrame(function () {
      laying = 0;
      doLayout();
    });
  }

  function doLayout() {
    var list = document.getElementById("cards");
    if (!list) return;
    var slots = Array.prototype.slice.call(list.children);
    if (!besideMode()) {
      root.classList.remove("cards-beside");
      list.style.height = "";
      slots.forEach(function (li) {
        li.style.top = "";
        li.classList.remove("is-offstage");
      });
      if (composer) composer.style.top = "";
      showCrowded(0);
      return;
    }
    root.classList.add("cards-beside");
    var listTop = list.getBoundingClientRect().top + window.scrollY;
    var items = [];
    for (var i = 0; i < slots.length; i++) {
      var y = passageTop(slots[i].dataset.id);
      items.push({ el: slots[i], want: y === null ? null : y - listTop, h: slots[i].offsetHeight, active: slots[i].dataset.id === activeId });
    }
    // A card whose passage is not drawn goes after the one before it.
    for (var k = 0; k < items.length; k++) {
      if (items[k].want === null) items[k].want = k > 0 ? items[k - 1].want : 0;
    }
    if (composerOpen && composer && composer.parentNode === cardsSection) {
      var ci = { el: composer, want: composerAt - listTop, h: composer.offsetHeight, active: true, composer: true };
      var at = 0;
      while (at < items.length && items[at].want <= ci.want) at++;
      items.splice(at, 0, ci);
      items.forEach(function (it) {
        if (!it.composer) it.active = false;
      });
    }
    var a = -1;
    for (var n = 0; n < items.length; n++) if (items[n].active) a = n;
    var pos = new Array(items.length);
    if (a >= 0) {
      pos[a] = Math.max(0, items[a].want);
      for (var f = a + 1; f < items.length; f++) pos[f] = Math.max(items[f].want, pos[f - 1] + items[f - 1].h + GAP);
      for (var b = a - 1; b >= 0; b--) pos[b] = Math.min(items[b].want, pos[b + 1] - items[b].h - GAP);
    }
    if (a < 0) {
      for (var g = 0; g < items.length; g++) pos[g] = Math.max(items[g].want, g > 0 ? pos[g - 1] + items[g - 1].h + GAP : 0, 0);
    }
    var bottom = 0;
    var sectionTop = cardsSection.getBoundingClientRect().top + window.scrollY;
    for (var p = 0; p < items.length; p++) {
      if (items[p].composer) items[p].el.style.top = pos[p] + listTop - sectionTop + "px";
      else items[p].el.style.top = pos[p] + "px";
      // Crowded out above the margin's top: hidden rather than drawn over
      // the filters (it comes back when the active card changes).
      items[p].el.classList.toggle("is-offstage", !items[p].composer && pos[p] < 0);
      bottom = Math.max(bottom, pos[p] + items[p].h);
    }
    list.style.height = bottom + "px";
    showCrowded(items.filter(function (it) {
      return !it.composer && it.el.classList.contains("is-offstage");
    }).length);
  }

  // showCrowded offers the cards crowded out above the margin's top (by a
  // card brought level further down) with a button that lets them settle.
  var crowded = null;
  function showCrowded(n) {
    if (!crowded) {
      if (!n) return;
      crowded = document.createElement("button");
      crowded.type = "button";
      crowded.className = "link-button crowded";
      crowded.dataset.testid = "crowded";
      crowded.addEventListener("click", function () {
        var first = document.querySelector("#cards > li .card");
        activate("");
        doLayout();
        if (first) first.focus({ preventScroll: true });
      });
    }
    if (!crowded.isConnected) {
      // Over the tabs' row, where it moves nothing: the cards are laid out
      // from the list's top, which must not shift when it shows. Not in
      // the tab list, which may hold only tabs.
      margin.querySelector(".margin-head").appendChild(crowded);
    }
    crowded.hidden = !n;
    crowded.textContent = n === 1 ? "Show the annotation above" : "Show the " + n + " annotations above";
  }

  // ---- Pairing a highlight with its card ----

  function slotOf(id) {
    var card = document.getElementById("a-" + id);
    return card && card.closest(".card-slot");
  }

  function setClass(els, cls, on) {
    Array.prototype.forEach.call(els, function (el) {
      el.classList.toggle(cls, on);
    });
  }

  function marksOf(id) {
    return text.querySelectorAll('mark[data-ids~="' + id + '"]');
  }

  function pairActive() {
    setClass(text.querySelectorAll("mark.is-active"), "is-active", false);
    setClass(document.querySelectorAll(".card-slot.is-active"), "is-active", false);
    if (!activeId) return;
    setClass(marksOf(activeId), "is-active", true);
    var s = slotOf(activeId);
    if (s) s.classList.add("is-active");
  }

  // activate brings a card level with its passage and pairs them.
  function activate(id) {
    if (id === activeId) return;
    activeId = id || "";
    pairActive();
    layout();
  }

  function hover(id, on) {
    setClass(marksOf(id), "is-hover", on);
    var s = slotOf(id);
    if (s) s.classList.toggle("is-hover", on);
  }

  function rootCardId(el) {
    var slot = el.closest(".card-slot");
    return slot ? slot.dataset.id : "";
  }

  // openCard shows a highlight's card: level with it on a wide screen, as
  // a sheet over the text on a narrow one. A card on a page of the margin
  // not yet loaded is loaded first, with the pages before it.
  function openCard(id, opener) {
    var card = document.getElementById("a-" + id);
    if (!card) {
      var ref = text.querySelector('a.mark-ref[data-id="' + id + '"][data-cards]');
      if (ref) loadPages(+ref.dataset.cards, function () {
        if (document.getElementById("a-" + id)) openCard(id, opener);
      });
      return;
    }
    selectTab("annotations");
    activate(rootCardId(card));
    if (wide.matches) {
      var r = card.getBoundingClientRect();
      card.focus({ preventScroll: r.top >= 0 && r.bottom <= window.innerHeight });
      flash(card);
    } else {
      openSheet(card.closest(".card-slot"), opener, card);
    }
  }

  // A card comes level with its passage when it takes the focus from the
  // keyboard, or after a click in it: not on the press itself, which would
  // move the card between the button going down and up, and lose the click.
  var pressing = false;
  margin.addEventListener("pointerdown", function () {
    pressing = true;
  }, true);
  document.addEventListener("pointerup", function () {
    setTimeout(function () {
      pressing = false;
    }, 0);
  }, true);
  margin.addEventListener("focusin", function (ev) {
    var id = rootCardId(ev.target);
    if (id && !pressing) activate(id);
  });
  margin.addEventListener("click", function (ev) {
    var id = rootCardId(ev.target);
    if (id) activate(id);
  });
  margin.addEventListener("mouseover", function (ev) {
    var id = rootCardId(ev.target);
    if (id) hover(id, true);
  });
  margin.addEventListener("mouseout", function (ev) {
    var id = rootCardId(ev.target);
    if (id) hover(id, false);
  });
  text.addEventListener("mouseover", function (ev) {
    var m = ev.target.closest && ev.target.closest("mark[data-ids]");
    if (m) m.dataset.ids.split(" ").forEach(function (id) {
      hover(id, true);
    });
  });
  text.addEventListener("mouseout", function (ev) {
    var m = ev.target.closest && ev.target.closest("mark[data-ids]");
    if (m) m.dataset.ids.split(" ").forEach(function (id) {
      hover(id, false);
    });
  });

  // A highlight's marker (a link after the passage) brings its card level
  // when focused, and opens it on Enter or a click.
  text.addEventListener("focusin", function (ev) {
    var ref = ev.target.closest && ev.target.closest("a.mark-ref");
    if (ref) activate(rootCardId(document.getElementById("a-" + ref.dataset.id) || ref));
  });

  text.addEventListener("click", function (ev) {
    var ref = ev.target.closest("a.mark-ref");
    if (ref) {
      ev.preventDefault();
      openCard(ref.dataset.id, ref);
      return;
    }
    if (!window.getSelection().isCollapsed) return;
    var mark = ev.target.closest("mark[data-ids]");
    if (!mark) {
      activate(""); // a click elsewhere in the text lets the cards settle
      return;
    }
    var ids = mark.dataset.ids.split(" ");
    openCard(ids[ids.length - 1], mark);
  });

  // A card's quote leads to its passage, in the upper third of the screen.
  margin.addEventListener("click", function (ev) {
    var link = ev.target.closest("a.quote-link");
    if (!link) return;
    var id = link.getAttribute("href").slice(3); // #m-12
    var m = markOf(id);
    if (!m) return;
    ev.preventDefault();
    closeSheet(false);
    var r = m.getBoundingClientRect();
    if (r.top < 0 || r.bottom > window.innerHeight) {
      window.scrollTo({ top: r.top + window.scrollY - window.innerHeight / 3 });
    }
    setClass(marksOf(id), "flash-target", false);
    void m.offsetWidth;
    setClass(marksOf(id), "flash-target", true);
  });

  // ---- The margin's pages of cards (handlers/margin.go) ----
  // The page holds one page of cards (or a run of them); the highlights of
  // all are in the text. The next page is added as the reader scrolls near
  // the margin's end, or by More annotations; a highlight whose card is on
  // a page not loaded loads the pages up to it. Changes ask for all the
  // pages held (withFilters), so they stay.

  var pagesBusy = false;
  var pagesWaiting = []; // {page, done} asked for while a load was out

  // loadPages adds the pages between those held and page, then calls done.
  function loadPages(page, done) {
    if (pagesBusy || liveBusy) {
      pagesWaiting.push({ page: page, done: done });
      if (!pagesBusy) setTimeout(pagesNext, 100);
      return;
    }
    var h = held();
    page = Math.max(1, Math.min(page, h.pages));
    if (page >= h.first && page <= h.last) {
      if (done) done();
      return;
    }
    var before = page < h.first;
    var want = before ? { first: page, last: h.first - 1 } : { first: h.last + 1, last: page };
    pagesBusy = true;
    send("GET", withFilters(window.location.pathname, want))
      .then(function (res) {
        pagesBusy = false;
        if (!res.ok) {
          announce(failed(res).msg);
          return;
        }
        var frag = parse(res.html);
        addPages(frag, before);
        var upd = frag.getElementById("reader-update");
        if (upd) announce(upd.dataset.announce);
        if (done) done();
      })
      .catch(function () {
        pagesBusy = false;
        announce("Gloss could not be reached: no more annotations were loaded.");
      })
      .then(pagesNext);
  }

  function pagesNext() {
    if (pagesBusy) return;
    if (pagesWaiting.length) {
      var w = pagesWaiting.shift();
      loadPages(w.page, w.done);
    } else if (liveAgain && !liveBusy) {
      liveAgain = false;
      liveRefresh();
    }
  }

  // addPages puts a ReaderCards answer's cards before or after those
  // held, and makes the pager speak for all of them.
  function addPages(frag, before) {
    var fresh = frag.getElementById("card-list");
    var home = document.getElementById("card-list");
    var list = document.getElementById("cards");
    if (!fresh || !home || !list) return;
    var at = before ? list.firstElementChild : null;
    Array.prototype.forEach.call(fresh.querySelectorAll("#cards > li"), function (li) {
      if (slotOf(li.dataset.id)) return;
      var n = document.importNode(li, true);
      n.dataset.sig = sig(li.innerHTML);
      list.insertBefore(n, at);
    });
    var pager = home.querySelector("#card-pager");
    var fo = fresh.querySelector(".orphans");
    if (fo) {
      var co = home.querySelector(".orphans ol.cards");
      if (!co) home.insertBefore(document.importNode(fo, true), pager);
      else Array.prototype.forEach.call(fo.querySelectorAll("ol.cards > li"), function (li) {
        if (!slotOf(li.dataset.id)) co.appendChild(document.importNode(li, true));
      });
    }
    var fp = fresh.querySelector("#card-pager");
    if (pager && fp) {
      // The new pages' end of the pager; the other end stays.
      var num = before ? "[data-from]" : "[data-to]";
      var link = before ? "[data-cards-prev]" : "[data-cards-next]";
      pager.querySelector(num).textContent = fp.querySelector(num).textContent;
      var mine = pager.querySelector(link);
      var theirs = fp.querySelector(link);
      if (mine && theirs) mine.href = theirs.getAttribute("href");
      else if (mine) mine.remove();
    }
    var h = held();
    home.dataset.first = Math.min(h.first, +fresh.dataset.first);
    home.dataset.last = Math.max(h.last, +fresh.dataset.last);
    home.dataset.pages = fresh.dataset.pages;
    document.dispatchEvent(new CustomEvent("gloss:content", { detail: { root: home } }));
    pairActive();
    doLayout();
    watchPager();
  }

  // watchPager readies the pager under the cards: More annotations for the
  // next page (instead of leaving the page), the previous page loaded in
  // place, and the next page loaded when the pager comes near the screen.
  var pagerSeen = "IntersectionObserver" in window ? new IntersectionObserver(function (entries) {
    entries.forEach(function (en) {
      var h = held();
      if (en.isIntersecting && !pagesBusy && h.last < h.pages) loadPages(h.last + 1);
    });
  }, { rootMargin: "0px 0px 600px 0px" }) : null;

  function watchPager() {
    var pager = document.getElementById("card-pager");
    if (pagerSeen) pagerSeen.disconnect();
    if (!pager) return;
    var next = pager.querySelector("[data-cards-next]");
    var more = pager.querySelector("[data-cards-more]");
    if (more) more.hidden = !next;
    if (next) next.hidden = true;
    // Observed anew after each change: a pager still in view after a page
    // is added asks for the next one.
    if (pagerSeen && next) pagerSeen.observe(pager);
  }

  margin.addEventListener("click", function (ev) {
    var more = ev.target.closest("[data-cards-more]");
    var prev = ev.target.closest("[data-cards-prev]");
    if (!more && !prev) return;
    ev.preventDefault();
    var h = held();
    var had = {};
    Array.prototype.forEach.call(document.querySelectorAll("#card-list .card-slot"), function (li) {
      had[li.dataset.id] = true;
    });
    loadPages(prev ? h.first - 1 : h.last + 1, function () {
      // The focus goes to the first card added, in the margin's order.
      var added = Array.prototype.filter.call(document.querySelectorAll("#card-list .card-slot"), function (li) {
        return !had[li.dataset.id];
      });
      var card = added.length ? added[0].querySelector(".card") : null;
      if (card) card.focus();
    });
  });

  // ---- Sheets (narrow screens) ----

  var sheet = null; // {el, opener, close}

  function openSheet(el, opener, focusEl) {
    closeSheet(false);
    var close = document.createElement("button");
    close.type = "button";
    close.className = "sheet-close secondary";
    close.textContent = "Close";
    close.addEventListener("click", function () {
      closeSheet(true);
    });
    el.insertBefore(close, el.firstChild);
    el.classList.add("as-sheet"); // still a list item: the card is what gets the focus
    root.classList.add("sheet-open");
    sheet = { el: el, opener: opener, close: close };
    (focusEl || el).focus({ preventScroll: true });
  }

  function closeSheet(restore) {
    if (!sheet) return;
    var s = sheet;
    sheet = null;
    s.close.remove();
    s.el.classList.remove("as-sheet");
    root.classList.remove("sheet-open");
    if (restore && s.opener && document.contains(s.opener)) {
      if (s.opener.matches("a, button, [tabindex]")) s.opener.focus({ preventScroll: true });
      else text.focus({ preventScroll: true });
    }
  }

  // ---- Tabs: annotations or notes ----

  var tabs = margin.querySelector(".margin-tabs");
  var tabButtons = tabs ? tabs.querySelectorAll('[role="tab"]') : [];

  function selectTab(which) {
    if (!tabs || tabs.hidden) return;
    Array.prototype.forEach.call(tabButtons, function (b) {
      var on = b.getAttribute("aria-controls") === which;
      b.setAttribute("aria-selected", on ? "true" : "false");
      b.tabIndex = on ? 0 : -1;
      document.getElementById(b.getAttribute("aria-controls")).hidden = !on;
    });
    layout();
  }

  if (tabs && cardsSection && notesSection) {
    tabs.hidden = false;
    [cardsSection, notesSection].forEach(function (s) {
      s.setAttribute("role", "tabpanel");
      s.setAttribute("aria-labelledby", s === cardsSection ? "tab-annotations" : "tab-notes");
      s.classList.add("in-tabs");
    });
    tabs.addEventListener("click", function (ev) {
      var b = ev.target.closest('[role="tab"]');
      if (b) selectTab(b.getAttribute("aria-controls"));
    });
    tabs.addEventListener("keydown", function (ev) {
      if (ev.key !== "ArrowLeft" && ev.key !== "ArrowRight") return;
      var next = document.activeElement === tabButtons[0] ? tabButtons[1] : tabButtons[0];
      selectTab(next.getAttribute("aria-controls"));
      next.focus();
      ev.preventDefault();
    });
    var startTab = /^#n-|^#notes$/.test(window.location.hash) ? "notes" : "annotations";
    selectTab(startTab);
  }

  // ---- Filters in the margin ----

  function filterQuery() {
    var params = new URLSearchParams();
    new FormData(filters).forEach(function (v, k) {
      if (v) params.append(k, v);
    });
    return params.toString();
  }

  function loadFilters(query, push) {
    var url = window.location.pathname + (query ? "?" + query : "");
    send("GET", url)
      .then(function (res) {
        if (!res.ok) {
          announce(failed(res).msg);
          return;
        }
        if (push) window.history.pushState({ filters: query }, "", url);
        var upd = applyParts(parse(res.html));
        var clear = filters.querySelector("[data-filter-clear]");
        if (clear) clear.hidden = !query;
        if (upd) announce(upd.dataset.announce);
      })
      .catch(function () {
        announce("Gloss could not be reached: the filters were not applied.");
      });
  }

  if (filters) {
    var typing = 0;
    filters.addEventListener("change", function () {
      clearTimeout(typing);
      loadFilters(filterQuery(), true);
    });
    filters.addEventListener("input", function (ev) {
      if (ev.target.type !== "text") return;
      clearTimeout(typing);
      typing = setTimeout(function () {
        loadFilters(filterQuery(), true);
      }, 400);
    });
    filters.addEventListener("submit", function (ev) {
      ev.preventDefault();
      clearTimeout(typing);
      loadFilters(filterQuery(), true);
    });
    var clearLink = filters.querySelector("[data-filter-clear]");
    if (clearLink) clearLink.addEventListener("click", function (ev) {
      ev.preventDefault();
      filters.reset();
      Array.prototype.forEach.call(filters.elements, function (el) {
        if (el.type === "checkbox") el.checked = false;
        else if (el.name) el.value = "";
      });
      loadFilters("", true);
    });
    window.addEventListener("popstate", function () {
      var q = new URLSearchParams(window.location.search);
      Array.prototype.forEach.call(filters.elements, function (el) {
        if (!el.name) return;
        if (el.type === "checkbox") el.checked = q.get(el.name) === el.value;
        else el.value = q.get(el.name) || "";
      });
      loadFilters(window.location.search.slice(1), false);
    });
  }

  // ---- Forms sent in place ----

  document.addEventListener("submit", function (ev) {
    var f = ev.target;
    if (!f.matches || !f.matches("form[data-inplace]")) return;
    if (ev.submitter && ev.submitter.hasAttribute("formaction")) return; // goes elsewhere (Add to a collection)
    ev.preventDefault();
    if (f.dataset.undo) {
      deleteWithUndo(f);
      return;
    }
    save(f, f.action, new FormData(f), {
      before: function () {
        afterSave(f);
      },
    });
  });

  function afterSave(f) {
    if (f === form) {
      if (composerOpen) closeComposer(false);
      else resetForm();
      var typed = document.getElementById("annotate");
      if (typed) typed.open = false;
      return;
    }
    if (f.id === "note-form") {
      f.reset();
      return;
    }
    var reply = f.closest("details.reply");
    if (reply && document.contains(reply)) {
      f.reset();
      reply.open = false;
    }
    if (f.classList.contains("edit-form") && document.contains(f)) endEdit(f, false);
  }

  // Ctrl/Cmd+Enter saves the form being written in; Escape leaves the
  // composer, an edit, a sheet or the toolbar.
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) {
      var f = ev.target.closest && ev.target.closest("form[data-inplace]");
      if (f) {
        ev.preventDefault();
        f.requestSubmit();
      }
      return;
    }
    if (ev.key !== "Escape") return;
    if (composerOpen && composer.contains(ev.target)) {
      ev.preventDefault();
      closeComposer(true);
    } else if (ev.target.closest && ev.target.closest(".edit-form")) {
      ev.preventDefault();
      endEdit(ev.target.closest(".edit-form"), true);
    } else if (sheet) {
      ev.preventDefault();
      closeSheet(true);
    }
  });

  // ---- Editing in place ----

  reader.addEventListener("click", function (ev) {
    var link = ev.target.closest("a[data-inplace-edit]");
    if (!link) return;
    ev.preventDefault();
    var card = link.closest("article.card");
    if (!card || card.querySelector(".edit-form")) return;
    send("GET", link.getAttribute("href"))
      .then(function (res) {
        if (!res.ok) {
          announce(failed(res).msg);
          return;
        }
        var f = parse(res.html).querySelector("form");
        if (!f) return;
        f = document.importNode(f, true);
        var main = card.querySelector(".card-main");
        main.hidden = true;
        main.insertAdjacentElement("afterend", f);
        document.dispatchEvent(new CustomEvent("gloss:content", { detail: { root: f } }));
        f.dataset.opener = link.getAttribute("href");
        var first = f.querySelector("textarea, input:not([type=hidden]), select");
        if (first) first.focus();
        layout();
      })
      .catch(function () {
        announce("Gloss could not be reached: nothing was changed.");
      });
  });

  reader.addEventListener("click", function (ev) {
    var cancel = ev.target.closest(".edit-form [data-cancel]");
    if (cancel) endEdit(cancel.closest(".edit-form"), true);
  });

  function endEdit(f, restoreFocus) {
    var card = f.closest("article.card");
    f.remove();
    if (!card) return;
    var main = card.querySelector(".card-main");
    if (main) main.hidden = false;
    if (restoreFocus) {
      var edit = card.querySelector("a[data-inplace-edit]");
      if (edit) edit.focus();
    }
    layout();
  }

  // ---- Delete, with Undo ----

  function deleteWithUndo(f) {
    var card = f.closest("article.card");
    if (!card) return;
    var id = card.dataset.id;
    var bar = document.createElement("div");
    bar.className = "undo-bar";
    bar.dataset.testid = "undo";
    var msg = document.createElement("span");
    msg.textContent = f.dataset.undo + " ";
    var undo = document.createElement("button");
    undo.type = "button";
    undo.className = "secondary";
    undo.textContent = "Undo";
    bar.appendChild(msg);
    bar.appendChild(undo);
    card.hidden = true;
    card.insertAdjacentElement("afterend", bar);
    if (id) setClass(marksOf(id), "is-deleting", true);
    undo.focus();
    announce(f.dataset.undo + " Press Undo within " + UNDO_MS / 1000 + " seconds to keep it.");
    var done = false;
    var timer = setTimeout(commit, UNDO_MS);
    window.addEventListener("pagehide", onLeave);
    layout();

    function finish() {
      done = true;
      clearTimeout(timer);
      window.removeEventListener("pagehide", onLeave);
    }
    function onLeave() {
      if (done) return;
      finish();
      send("POST", withFilters(f.action), new FormData(f), true);
    }
    function commit() {
      if (done) return;
      finish();
      var hadFocus = bar.contains(document.activeElement);
      send("POST", withFilters(f.action), new FormData(f))
        .then(function (res) {
          if (!res.ok) {
            restore();
            announce(failed(res).msg);
            return;
          }
          bar.remove();
          applyParts(parse(res.html));
          if (hadFocus) text.focus({ preventScroll: true });
          document.dispatchEvent(new CustomEvent("gloss:saved", { detail: { deleted: id } }));
        })
        .catch(function () {
          restore();
          announce("Gloss could not be reached: nothing was deleted.");
        });
    }
    function restore() {
      bar.remove();
      card.hidden = false;
      if (id) setClass(marksOf(id), "is-deleting", false);
      layout();
    }
    undo.addEventListener("click", function () {
      if (done) return;
      finish();
      restore();
      card.focus();
      announce("Kept: nothing was deleted.");
    });
  }

  // ---- Landing on a card, a note or a passage ----

  function land() {
    var h = window.location.hash;
    if (/^#a-\d+$/.test(h)) {
      var el = document.getElementById(h.slice(1));
      if (el) {
        focusTarget(h.slice(1));
        activate(rootCardId(el));
      } else {
        openCard(h.slice(3)); // on a page of cards not loaded
      }
    } else if (/^#n-\d+$/.test(h)) {
      focusTarget(h.slice(1));
    }
  }
  window.addEventListener("hashchange", land);

  // ---- Keeping the layout true ----

  signText();
  signAll(document.getElementById("cards"));
  signAll(document.getElementById("note-list"));
  wide.addEventListener("change", function () {
    closeSheet(false);
    if (composerOpen) placeComposer();
    layout();
  });
  window.addEventListener("resize", layout);
  text.addEventListener("toggle", layout, true);
  margin.addEventListener("toggle", layout, true); // a card's replies or reply form opened: it grew
  if (window.ResizeObserver) {
    var watch = new ResizeObserver(layout);
    watch.observe(text);
    watch.observe(margin);
  }
  if (document.fonts && document.fonts.ready) document.fonts.ready.then(layout);
  layout();
  watchPager();
  land();

  // ---- Annotating (signed in) ----

  if (!toolbar || !form) return;

  var current = null; // the selection the toolbar acts on
  var pending = null; // the selection the composer writes about
  var pointer = "mouse"; // the kind of pointer pressed last
  var typedHome = form.parentNode; // the "type a passage" details
  var preview = form.querySelector("[data-quote-preview]");
  var cancelButton = form.querySelector("[data-cancel]");
  var keysHint = form.querySelector(".composer-keys");

  composer = document.createElement("div");
  composer.id = "composer";
  composer.className = "composer";
  composer.setAttribute("role", "dialog");
  composer.setAttribute("aria-label", "Annotate the selection");
  composer.dataset.testid = "composer";
  composer.hidden = true;

  function setAudience(value) {
    if (!audienceSelect) return;
    for (var i = 0; i < audienceSelect.options.length; i++) {
      if (audienceSelect.options[i].value === value) {
        audienceSelect.value = value;
        return;
      }
    }
    audienceSelect.value = "private";
  }

  // audienceFields turns the toolbar's choice into the form's fields.
  function audienceFields(value) {
    if (value.indexOf("group:") === 0) return { visibility: "group", group: value.slice(6) };
    return { visibility: value, group: "" };
  }

  // A public choice is for one save: afterwards the toolbar says the
  // remembered default again.
  function resetAudience() {
    if (audienceSelect && audienceSelect.value === "public") setAudience(audienceSelect.dataset.default || "private");
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

  // markPending keeps the selected words visibly marked while the focus is
  // in the composer (the CSS Custom Highlight API: no change to the text).
  function markPending(range) {
    if (window.CSS && CSS.highlights && window.Highlight) CSS.highlights.set("gloss-pending", new Highlight(range));
  }

  function clearPending() {
    if (window.CSS && CSS.highlights) CSS.highlights.delete("gloss-pending");
  }

  function fill(sel) {
    form.elements.start.value = sel.start;
    form.elements.end.value = sel.end;
    form.elements.exact.value = sel.exact;
    form.elements.prefix.value = "";
    form.elements.suffix.value = "";
  }

  function formAudience(value) {
    var a = audienceFields(value);
    var vis = form.elements.visibility;
    var grp = form.elements.group;
    if (vis) vis.value = a.visibility;
    if (grp && a.group) grp.value = a.group;
  }

  // placeComposer puts the composer level with the selection in the
  // margin (wide), or as a sheet at the bottom of the screen (narrow).
  function placeComposer() {
    if (wide.matches && cardsSection) {
      composer.classList.remove("as-sheet");
      root.classList.remove("sheet-open");
      selectTab("annotations");
      cardsSection.appendChild(composer);
    } else {
      composer.classList.add("as-sheet");
      root.classList.add("sheet-open");
      document.body.appendChild(composer);
    }
  }

  function openComposer(sel, field) {
    closeSheet(false);
    pending = sel;
    markPending(sel.range);
    fill(sel);
    preview.textContent = sel.exact.length > 280 ? sel.exact.slice(0, 280) + "…" : sel.exact;
    form.classList.add("from-selection");
    form.querySelector(".quote-preview").hidden = false;
    cancelButton.hidden = false;
    keysHint.hidden = false;
    formAudience(audienceSelect ? audienceSelect.value : "private");
    clearErrors(form);
    composer.appendChild(form);
    composerAt = sel.rect.top + window.scrollY;
    composerOpen = true;
    composer.hidden = false;
    placeComposer();
    activeId = "";
    pairActive();
    doLayout();
    var target = field === "tag" ? form.elements.tags : form.elements.body;
    target.focus({ preventScroll: true });
    keepInView(sel);
  }

  // keepInView scrolls as little as needed so the composer is whole on
  // the screen and, with a sheet, the passage stays visible above it.
  function keepInView(sel) {
    var r = composer.getBoundingClientRect();
    if (composer.classList.contains("as-sheet")) {
      var room = r.top - 8;
      var selRect = sel.range.getBoundingClientRect();
      if (selRect.bottom > room) window.scrollBy(0, Math.min(selRect.bottom - room, selRect.top - 8));
      else if (selRect.top < 0) window.scrollBy(0, selRect.top - 8);
    } else if (r.bottom > window.innerHeight) {
      window.scrollBy(0, Math.min(r.bottom - window.innerHeight + 8, r.top - 8));
    }
  }

  function closeComposer(restoreFocus) {
    if (!composerOpen) return;
    composerOpen = false;
    clearPending();
    clearErrors(form);
    form.classList.remove("from-selection");
    form.querySelector(".quote-preview").hidden = true;
    cancelButton.hidden = true;
    keysHint.hidden = true;
    resetForm();
    typedHome.appendChild(form);
    composer.hidden = true;
    composer.classList.remove("as-sheet");
    root.classList.remove("sheet-open");
    resetAudience();
    layout();
    var s = window.getSelection();
    if (restoreFocus && pending) {
      text.focus({ preventScroll: true });
      s.removeAllRanges();
      s.addRange(pending.range);
    } else if (s.rangeCount && text.contains(s.anchorNode)) {
      s.removeAllRanges(); // saved: the passage is a highlight now
    }
    hideToolbar();
    pending = null;
  }

  // resetForm empties the annotate form for the next annotation; its
  // audience goes back to the remembered default.
  function resetForm() {
    form.reset();
    ["start", "end", "exact", "prefix", "suffix", "body", "tags"].forEach(function (n) {
      form.elements[n].value = "";
    });
    var kind = form.querySelector("[data-evidence-kind]");
    if (kind) {
      kind.value = "comment";
      kind.dispatchEvent(new Event("change", { bubbles: true }));
    }
    formAudience(audienceSelect ? audienceSelect.dataset.default || "private" : "private");
  }

  cancelButton.addEventListener("click", function () {
    closeComposer(true);
  });

  // The typed form (the details in the margin) and the composer are one
  // form: opening the details while composing leaves the composer.
  typedHome.addEventListener("toggle", function () {
    if (typedHome.open && composerOpen) closeComposer(false);
  });

  // quickHighlight saves the selection as a plain highlight for the
  // audience the toolbar says.
  function quickHighlight(sel) {
    var a = audienceFields(audienceSelect ? audienceSelect.value : "private");
    var data = new FormData();
    data.append("start", sel.start);
    data.append("end", sel.end);
    data.append("exact", sel.exact);
    data.append("prefix", "");
    data.append("suffix", "");
    data.append("body", "");
    data.append("tags", "");
    data.append("kind", "comment");
    data.append("visibility", a.visibility);
    data.append("group", a.group);
    markPending(sel.range);
    save(form, form.action, data, {
      stay: true,
      before: clearPending,
      after: function () {
        resetAudience();
        // Back to reading: the caret just after the new highlight.
        text.focus({ preventScroll: true });
        var at = pointAt(sel.end);
        if (at) window.getSelection().collapse(at.node, at.offset);
      },
    });
  }

  // pointAt is the DOM point at a code-point offset of the text.
  function pointAt(offset) {
    var paras = paragraphs();
    for (var i = 0; i < paras.length; i++) {
      var p = paras[i];
      if (offset < +p.dataset.start || offset > +p.dataset.end) continue;
      var left = offset - +p.dataset.start;
      var nodes = textNodes(p);
      for (var k = 0; k < nodes.length; k++) {
        var d = nodes[k].data;
        var n = cpLen(d);
        if (left <= n) {
          var j = 0;
          for (var c = 0; c < left; c++) j += d.charCodeAt(j) >= 0xd800 && d.charCodeAt(j) <= 0xdbff ? 2 : 1;
          return { node: nodes[k], offset: j };
        }
        left -= n;
      }
    }
    return null;
  }

  // ---- Composing from a suggestion (static/js/suggestions.js) ----

  // composeAt opens the composer on the passage [start, end), as if it had
  // been selected, with the annotate form's fields filled in (kind, low,
  // unit…: the form's names), to be checked and saved as any annotation.
  function composeAt(start, end, fields) {
    var a = pointAt(start);
    var b = pointAt(end);
    if (!a || !b) return false;
    var range = document.createRange();
    range.setStart(a.node, a.offset);
    range.setEnd(b.node, b.offset);
    var sel = { start: start, end: end, exact: quoteOf(range), range: range, rect: range.getBoundingClientRect() };
    hideToolbar();
    openComposer(sel, "comment");
    var kind = form.querySelector("[data-evidence-kind]");
    if (kind && fields && fields.kind) {
      kind.value = fields.kind;
      kind.dispatchEvent(new Event("change", { bubbles: true }));
      var details = kind.closest("details");
      if (details) details.open = true;
      Object.keys(fields).forEach(function (name) {
        var el = form.elements[name];
        if (name !== "kind" && el && el.nodeType === 1) el.value = fields[name];
      });
      var first = form.querySelector('.evidence-fieldset[data-kind="' + fields.kind + '"] input');
      if (first) first.focus({ preventScroll: true });
    }
    doLayout();
    keepInView(sel);
    return true;
  }

  // The reader's offsets and composer, for the suggestions' script.
  window.GlossReader = { offsetAt: offsetAt, pointAt: pointAt, composeAt: composeAt, announce: announce };

  toolbar.addEventListener("click", function (ev) {
    var btn = ev.target.closest("button[data-action]");
    if (!btn || !current) return;
    // The selection as it is now: the toolbar may have been placed for a
    // drag the browser had not finished extending, or the reader may have
    // adjusted it (Shift+click) since.
    var sel = readSelection() || current;
    hideToolbar();
    if (btn.dataset.action === "highlight") quickHighlight(sel);
    else openComposer(sel, btn.dataset.action);
  });

  toolbar.addEventListener("keydown", function (ev) {
    var buttons = Array.prototype.slice.call(toolbar.querySelectorAll("button"));
    var i = buttons.indexOf(document.activeElement);
    if (ev.key === "Escape") {
      hideToolbar();
      text.focus();
      ev.preventDefault();
    } else if (i >= 0 && (ev.key === "ArrowRight" || ev.key === "ArrowLeft")) {
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
  document.addEventListener(
    "pointerdown",
    function (ev) {
      pointer = ev.pointerType || "mouse";
      if (!toolbar.contains(ev.target)) hideToolbar();
    },
    true
  );

  // A mouse selection ends where the button is released, which may be
  // outside the text (in the margin, past the last line).
  document.addEventListener("mouseup", function (ev) {
    if (toolbar.contains(ev.target) || composer.contains(ev.target)) return;
    setTimeout(followSelection, 0); // after the browser updates the selection
  });

  // A finger or pen selects with a long press and then the handles, which
  // fire no mouseup: follow the selection itself once it settles.
  var settling = 0;
  document.addEventListener("selectionchange", function () {
    if (pointer === "mouse") return;
    clearTimeout(settling);
    settling = setTimeout(function () {
      if (!composerOpen) followSelection();
    }, 300);
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

  // A press focuses the text too: the browser puts the caret where it was
  // pressed, and moving the selection here would end the drag starting.
  text.addEventListener("focus", function () {
    if (textPressed) return;
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

  // ---- Tag suggestions ----
  // The viewer's tag names change with what anyone writes on any article,
  // so the page (kept whole by the server) does not carry them: the
  // datalist is filled when a tag field is used, the first time and again
  // after the reader's parts changed.
  document.addEventListener("focusin", function (ev) {
    var input = ev.target;
    if (!input.matches || !input.matches('input[list="tag-suggestions"]')) return;
    var list = document.getElementById("tag-suggestions");
    if (!list || !list.dataset.src || !tagsStale) return;
    tagsStale = false;
    fetch(list.dataset.src, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.text();
      })
      .then(function (html) {
        var fresh = parse(html).getElementById("tag-suggestions");
        if (fresh) list.replaceChildren.apply(list, Array.prototype.slice.call(fresh.children));
      })
      .catch(function () {
        tagsStale = true; // try again on the next focus
      });
  });
})();
