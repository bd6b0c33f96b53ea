// Gloss collections: reorder items by dragging, or with the Move buttons
// without a reload; move between slides with the arrow keys, Space and the
// on-screen buttons without a reload (Escape leaves); full screen; print; and the
// questions asked before removing or deleting. Every page works without
// this file: the Move buttons are forms and the slides are linked pages.
(function () {
  "use strict";

  document.addEventListener("submit", function (ev) {
    var msg = ev.target.dataset && ev.target.dataset.confirm;
    if (msg && !window.confirm(msg)) ev.preventDefault();
  });

  var printButton = document.querySelector("[data-print]");
  if (printButton) {
    printButton.hidden = false;
    printButton.addEventListener("click", function () {
      window.print();
    });
  }

  reorder();
  present();

  // reorder makes the edit page's item list sortable: each move is saved
  // at once by posting the whole order, and announced to screen readers.
  function reorder() {
    var list = document.querySelector("[data-reorder]");
    if (!list) return;
    var status = document.getElementById("order-status");

    function items() {
      return Array.prototype.slice.call(list.querySelectorAll(":scope > li[data-item]"));
    }
    function order() {
      return items().map(function (li) { return li.dataset.item; }).join(",");
    }
    function summary(li) {
      var s = li.querySelector(".item-summary");
      return s ? s.textContent : "the item";
    }
    function refresh() {
      var all = items();
      all.forEach(function (li, i) {
        var up = li.querySelector('button[value="up"]');
        var down = li.querySelector('button[value="down"]');
        if (up) up.disabled = i === 0;
        if (down) down.disabled = i === all.length - 1;
      });
    }
    function announce(msg) {
      if (status) status.textContent = msg;
    }
    function save(li) {
      var all = items();
      var msg = "Moved " + summary(li) + " to position " + (all.indexOf(li) + 1) + " of " + all.length + ".";
      var body = new URLSearchParams();
      body.set("order", order());
      list.setAttribute("aria-busy", "true");
      return fetch(list.dataset.reorder, { method: "POST", body: body, credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) {
          if (!r.ok) throw new Error("status " + r.status);
          announce(msg);
          list.dataset.saved = order();
        })
        .catch(function () {
          announce("The new order could not be saved. Reload the page and try again.");
          list.dataset.saveFailed = "true";
        })
        .finally(function () {
          list.removeAttribute("aria-busy");
        });
    }

    // The Move buttons move the item in place; focus stays on the button
    // (or its twin, when the item reached an end).
    list.addEventListener("submit", function (ev) {
      var form = ev.target;
      if (ev.defaultPrevented || !form.matches("[data-move]")) return;
      var button = ev.submitter;
      if (!button) return;
      ev.preventDefault();
      var li = form.closest("li");
      var up = button.value === "up";
      var other = up ? li.previousElementSibling : li.nextElementSibling;
      if (!other) return;
      if (up) list.insertBefore(li, other);
      else list.insertBefore(other, li);
      refresh();
      if (button.disabled) button = form.querySelector('button[value="' + (up ? "down" : "up") + '"]');
      button.focus();
      save(li);
    });

    // Dragging by the handle: the item follows the pointer; dropping saves.
    var dragged = null;
    var before = "";
    list.addEventListener("dragstart", function (ev) {
      var handle = ev.target.closest && ev.target.closest(".drag-handle");
      if (!handle) return;
      dragged = handle.closest("li");
      before = order();
      dragged.classList.add("dragging");
      ev.dataTransfer.effectAllowed = "move";
      ev.dataTransfer.setData("text/plain", dragged.dataset.item);
      if (ev.dataTransfer.setDragImage) ev.dataTransfer.setDragImage(dragged, 16, 16);
    });
    list.addEventListener("dragover", function (ev) {
      if (!dragged) return;
      var li = ev.target.closest && ev.target.closest("li[data-item]");
      if (!li || li.parentElement !== list) return;
      ev.preventDefault();
      ev.dataTransfer.dropEffect = "move";
      if (li === dragged) return;
      var r = li.getBoundingClientRect();
      var after = ev.clientY > r.top + r.height / 2;
      var ref = after ? li.nextElementSibling : li;
      if (ref !== dragged) list.insertBefore(dragged, ref);
    });
    // The drop saves; a drag that ends elsewhere (or is cancelled) saves
    // whatever order it left, once.
    function finish() {
      if (!dragged) return;
      var li = dragged;
      dragged = null;
      li.classList.remove("dragging");
      if (order() === before) return;
      refresh();
      save(li);
    }
    list.addEventListener("drop", function (ev) {
      if (!dragged) return;
      ev.preventDefault();
      finish();
    });
    list.addEventListener("dragend", finish);
  }

  // present turns the slide links into navigation without a reload: the
  // next slide's page is fetched and its <main> swapped in, with the
  // address, the title and the browser's history kept right.
  function present() {
    var main = document.querySelector("main[data-present]");
    if (!main) return;
    var status = document.getElementById("slide-status");
    var busy = false;

    function showFullscreenButton() {
      var b = main.querySelector("[data-fullscreen]");
      if (!b || !document.fullscreenEnabled) return;
      b.hidden = false;
      b.textContent = document.fullscreenElement ? "Leave full screen" : "Full screen";
    }
    function toggleFullscreen() {
      if (!document.fullscreenEnabled) return;
      var p = document.fullscreenElement ? document.exitFullscreen() : document.documentElement.requestFullscreen();
      if (p && p.catch) p.catch(function () {});
    }
    showFullscreenButton();
    document.addEventListener("fullscreenchange", showFullscreenButton);

    function go(href, push) {
      if (!href || busy) return;
      busy = true;
      var focusedRel = document.activeElement && main.contains(document.activeElement) ? document.activeElement.getAttribute("rel") : null;
      fetch(href, { credentials: "same-origin", headers: { Accept: "text/html" } })
        .then(function (r) {
          if (!r.ok) throw new Error("status " + r.status);
          return r.text();
        })
        .then(function (html) {
          var doc = new DOMParser().parseFromString(html, "text/html");
          var next = doc.querySelector("main[data-present]");
          if (!next) throw new Error("not a slide");
          main.replaceWith(next);
          main = next;
          document.title = doc.title;
          if (push) history.pushState({ slide: href }, "", href);
          window.scrollTo(0, 0);
          showFullscreenButton();
          var number = main.querySelector(".slide-number");
          if (status && number) status.textContent = number.textContent;
          var again = focusedRel && main.querySelector('a[rel="' + focusedRel + '"]');
          if (again) again.focus();
          else if (focusedRel) main.querySelector("#slide").focus();
          busy = false;
        })
        .catch(function () {
          window.location.href = href; // let the browser load it
        });
    }

    document.addEventListener("keydown", function (ev) {
      if (ev.altKey || ev.ctrlKey || ev.metaKey || ev.defaultPrevented) return;
      var t = ev.target;
      if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
      var d = main.dataset;
      var href = "";
      switch (ev.key) {
        case "Escape":
          // In full screen the browser takes Escape to leave it; otherwise
          // it leaves the presentation, as the Exit link does.
          if (document.fullscreenElement || !d.exit) return;
          ev.preventDefault();
          window.location.href = d.exit;
          return;
        case " ":
        case "Spacebar":
          // Space pages on, Shift+Space back, as in a slide program; on a
          // button it presses the button.
          if (t && t.tagName === "BUTTON") return;
          href = ev.shiftKey ? d.prev : d.next;
          break;
        case "ArrowRight":
        case "PageDown":
          href = d.next;
          break;
        case "ArrowLeft":
        case "PageUp":
          href = d.prev;
          break;
        case "Home":
          href = d.n === "1" ? "" : d.first;
          break;
        case "End":
          href = d.n === d.total ? "" : d.last;
          break;
        case "f":
        case "F":
          ev.preventDefault();
          toggleFullscreen();
          return;
        default:
          return;
      }
      ev.preventDefault();
      go(href, true);
    });

    document.addEventListener("click", function (ev) {
      if (ev.button !== 0 || ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.altKey) return;
      if (ev.target.closest("[data-fullscreen]")) {
        toggleFullscreen();
        return;
      }
      var a = ev.target.closest("main[data-present] a[rel]");
      if (!a) return;
      ev.preventDefault();
      go(a.getAttribute("href"), true);
    });

    history.replaceState({ slide: location.pathname }, "", location.href);
    window.addEventListener("popstate", function () {
      go(location.pathname, false);
    });
  }
})();
