// Gloss live: one Server-Sent Events stream per page, for what changes
// while it is open. The reader follows its article (/articles/{slug}/events),
// a group's activity page its group, every other page of a signed-in person
// their notifications (/events). Every stream also says the unread count,
// which the bell in the header shows.
//
// The stream carries no content, only what changed: the page asks for it
// through the routes it always uses (the reader's parts, the activity
// list), which apply every rule again. Pages hear of changes as a
// "gloss:live" event on the document ({type: "change" | "refresh", data}).
// Without JavaScript nothing here runs and every page works as before.
(function () {
  "use strict";
  if (!window.EventSource) return;

  var bell = document.getElementById("bell");
  var count = document.getElementById("bell-count");
  var reader = document.getElementById("reader");
  var activity = document.getElementById("activity");
  var bar = document.getElementById("live-bar");
  var status = document.getElementById("live-status");
  var presence = document.getElementById("presence");

  var url = "";
  var last = "";
  var home = reader || activity;
  if (home && home.dataset.events) {
    url = home.dataset.events;
    last = home.dataset.since || "";
  } else if (bell) {
    url = "/events";
  }
  if (!url) return;
  if (bar) bar.hidden = false;

  var source = null;
  var backoff = 2000; // ms before reconnecting after a refusal, doubling to a minute
  var retry = 0;

  var words = {
    connecting: "Connecting…",
    live: "Live",
    reconnecting: "Connection lost: reconnecting…",
    offline: "Offline: live updates paused. Retrying…",
    ended: "Live updates stopped.",
  };

  function setState(state, why) {
    if (!status) return;
    status.dataset.state = state;
    status.textContent = why ? words[state] + " " + why : words[state];
  }

  function connect() {
    retry = 0;
    var u = url;
    if (last) u += (u.indexOf("?") < 0 ? "?" : "&") + "since=" + encodeURIComponent(last);
    setState(source ? "reconnecting" : "connecting");
    source = new EventSource(u);
    source.addEventListener("open", function () {
      backoff = 2000;
      setState("live");
    });
    source.addEventListener("error", function () {
      if (source.readyState === EventSource.CLOSED) {
        // Refused (too many streams, restarting, signed out): the browser
        // does not try again by itself.
        setState("offline");
        later(backoff);
        backoff = Math.min(backoff * 2, 60000);
      } else {
        setState("reconnecting"); // the browser reconnects with Last-Event-ID
      }
    });
    ["ping", "change", "count", "presence", "refresh", "end"].forEach(function (name) {
      source.addEventListener(name, function (ev) {
        if (ev.lastEventId) last = ev.lastEventId;
        var data = {};
        try {
          data = ev.data ? JSON.parse(ev.data) : {};
        } catch (e) {
          return;
        }
        handle(name, data);
      });
    });
  }

  function later(ms) {
    if (source) source.close();
    clearTimeout(retry);
    retry = setTimeout(connect, ms + Math.floor(Math.random() * 1000));
  }

  function handle(name, data) {
    switch (name) {
      case "count":
        showCount(data);
        break;
      case "presence":
        showPresence(data);
        break;
      case "change":
      case "refresh":
        document.dispatchEvent(new CustomEvent("gloss:live", { detail: { type: name, data: data } }));
        break;
      case "end":
        source.close();
        if (data.retry) {
          setState("reconnecting");
          later(2000);
        } else {
          setState("ended", data.reason || "");
        }
        break;
    }
  }

  function showCount(data) {
    if (!bell || !count) return;
    var n = data.unread || 0;
    count.textContent = data.label || String(n);
    count.hidden = n === 0;
    bell.setAttribute("aria-label", n === 0 ? "Notifications" : "Notifications, " + (data.label || n) + " unread");
  }

  // Who of the viewer's groups reads this article now: a count, and the
  // names behind a button (and on hover).
  function showPresence(data) {
    if (!presence) return;
    var names = data.names || [];
    var toggle = document.getElementById("presence-toggle");
    var list = document.getElementById("presence-names");
    presence.hidden = names.length === 0;
    if (!toggle || !list) return;
    toggle.textContent = names.length === 1 ? "1 person from your groups is reading this" : names.length + " people from your groups are reading this";
    toggle.title = names.join(", ");
    list.textContent = "";
    names.forEach(function (n) {
      var li = document.createElement("li");
      li.textContent = n;
      list.appendChild(li);
    });
  }

  if (presence) {
    var toggle = document.getElementById("presence-toggle");
    var list = document.getElementById("presence-names");
    if (toggle && list) {
      toggle.addEventListener("click", function () {
        var open = toggle.getAttribute("aria-expanded") !== "true";
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
        list.hidden = !open;
      });
    }
  }

  // A page put away (bfcache, a closed laptop) gives its stream back.
  window.addEventListener("pagehide", function () {
    if (source) source.close();
    clearTimeout(retry);
  });
  window.addEventListener("pageshow", function (ev) {
    if (ev.persisted) connect();
  });

  connect();
})();
