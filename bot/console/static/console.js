/* Agent console: live pages by server push (Server-Sent Events from /api/live); the JSON
   twins of the pages give the fresh fragments. Polling only where EventSource is missing.
   No inline script, no libraries. */
(function () {
  "use strict";

  var body = document.body;
  var pollMs = (parseInt(body.getAttribute("data-poll"), 10) || 3) * 1000;
  var CASE_KINDS = ["case_opened", "case_claimed", "case_transferred", "case_resolved",
    "customer_message", "agent_message", "note_added"];
  var TICKET_KINDS = ["ticket_opened", "ticket_updated", "note_added"];

  function showOffline(on) {
    var box = document.getElementById("offline");
    if (!box && on) {
      box = document.createElement("p");
      box.id = "offline";
      box.className = "flash warn";
      box.textContent = body.getAttribute("data-offline") || "offline";
      document.getElementById("main").prepend(box);
    }
    if (box) { box.hidden = !on; }
  }

  function toLogin() {
    window.location.assign("/login?next=" + encodeURIComponent(window.location.pathname));
  }

  function getJson(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (response.status === 401) { toLogin(); throw new Error("signed out"); }
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      });
  }

  // The page itself, fetched again and parsed (for pages without a JSON twin).
  function getPage() {
    return fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (response.redirected && new URL(response.url).pathname === "/login") {
          toLogin();
          throw new Error("signed out");
        }
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.text();
      })
      .then(function (text) { return new DOMParser().parseFromString(text, "text/html"); });
  }

  // Fragments come from the server, rendered and escaped there.
  function replace(id, html) {
    var element = document.getElementById(id);
    if (element && typeof html === "string" && element.innerHTML !== html) {
      element.innerHTML = html;
      return true;
    }
    return false;
  }

  function replaceFrom(doc, ids) {
    ids.forEach(function (id) {
      var fresh = doc.getElementById(id);
      if (fresh) { replace(id, fresh.innerHTML); }
    });
  }

  // --- the title badge: "(2) " before the title counts what arrived unseen ---
  var baseTitle = document.title;
  var unseen = 0;
  var seen = !document.hidden && document.hasFocus();

  function showBadge() {
    document.title = unseen > 0 ? "(" + unseen + ") " + baseTitle : baseTitle;
  }
  function arrived() {
    if (!seen) { unseen += 1; showBadge(); }
  }
  function markSeen() { seen = true; unseen = 0; showBadge(); }
  window.addEventListener("focus", markSeen);
  window.addEventListener("blur", function () { seen = false; });
  document.addEventListener("visibilitychange", function () {
    if (document.hidden) { seen = false; } else if (document.hasFocus()) { markSeen(); }
  });

  // Runs ``refresh`` one at a time; calls meanwhile make one more run after it.
  function refresher(refresh) {
    var running = false;
    var again = false;
    function run() {
      if (running) { again = true; return; }
      running = true;
      refresh()
        .then(function () { showOffline(false); })
        .catch(function () { showOffline(true); })
        .then(function () {
          running = false;
          if (again) { again = false; run(); }
        });
    }
    return run;
  }

  // --- the stream: handlers by event kind (widgets add theirs with ``on``) ---
  var handlers = {};
  function on(kinds, handler) {
    [].concat(kinds).forEach(function (kind) {
      (handlers[kind] = handlers[kind] || []).push(handler);
    });
  }

  // ``resync`` runs on every (re)connection: it catches up with what the stream did not say.
  function listen(resync) {
    var source = new EventSource("/api/live");
    source.addEventListener("open", function () { showOffline(false); resync(); });
    source.addEventListener("desk", function (message) {
      var event = JSON.parse(message.data);
      (handlers[event.kind] || []).concat(handlers["*"] || []).forEach(function (handler) {
        handler(event);
      });
    });
    source.addEventListener("reset", resync);
    source.addEventListener("signed_out", function () { source.close(); toLogin(); });
    source.addEventListener("error", function () {
      showOffline(true);
      if (source.readyState === EventSource.CLOSED) {  // refused: signed out, or the server is down
        getJson("/api/queue").catch(function () { return null; }).then(function () {
          window.setTimeout(function () { listen(resync); }, pollMs);
        });
      }
    });
  }

  // Calls ``refresh`` every ``pollMs`` (never two at once): the fallback without EventSource.
  function poll(refresh) {
    function tick() {
      refresh()
        .then(function () { showOffline(false); })
        .catch(function () { showOffline(true); })
        .then(function () { window.setTimeout(tick, pollMs); });
    }
    window.setTimeout(tick, pollMs);
  }

  // The coalesced ``refresh`` the stream's handlers call; null where the page polls instead.
  function live(refresh) {
    if (!window.EventSource) { poll(refresh); return null; }
    var run = refresher(refresh);
    listen(run);
    return run;
  }

  // --- the pages ---
  function queuePage() {
    var refresh = function () {
      return getJson("/api/queue" + window.location.search).then(function (data) {
        replace("waiting-rows", data.html.waiting);
        replace("claimed-rows", data.html.claimed);
        replace("queue-pager", data.html.pager);
      });
    };
    var again = live(refresh);
    if (again) {
      on(CASE_KINDS, function () { again(); });
      on(["case_opened", "customer_message"], arrived);
    }
  }

  function casePage() {
    var id = body.getAttribute("data-case-id");
    var list = document.getElementById("transcript");
    var refresh = function () {
      return getJson("/api/cases/" + encodeURIComponent(id)).then(function (data) {
        var atBottom = list.scrollTop + list.clientHeight >= list.scrollHeight - 8;
        if (replace("transcript", data.html.transcript) && atBottom) {
          list.scrollTop = list.scrollHeight;
        }
        var changed = data.status !== body.getAttribute("data-status") ||
          (data.claimed_by || "") !== body.getAttribute("data-claimed-by");
        document.getElementById("case-changed").hidden = !changed;
      });
    };
    var again = live(refresh);
    if (again) {
      on(CASE_KINDS, function (event) {
        if (String(event.handoff_id) !== id) { return; }
        again();
        if (event.kind === "customer_message") { arrived(); }
      });
      on("case_opened", arrived);
    }
    list.scrollTop = list.scrollHeight;
  }

  function ticketsPage() {
    if (!window.EventSource) { return; }  // the list has no JSON twin: reload by hand
    var refresh = function () {
      return getPage().then(function (doc) { replaceFrom(doc, ["ticket-rows"]); });
    };
    var again = live(refresh);
    on(TICKET_KINDS, function () { again(); });
    on("ticket_opened", arrived);
  }

  function ticketPage() {
    if (!window.EventSource) { return; }
    var id = decodeURIComponent(window.location.pathname.split("/")[2] || "").toUpperCase();
    var refresh = function () {
      return getPage().then(function (doc) {
        replaceFrom(doc, ["ticket-facts", "ticket-updates", "ticket-status"]);
      });
    };
    var again = live(refresh);
    on(TICKET_KINDS, function (event) {
      if ((event.ticket_id || "").toUpperCase() === id) { again(); }
    });
  }

  window.consoleLive = { on: on, arrived: arrived };  // for widgets' own handlers

  var page = body.getAttribute("data-page");
  if (page === "queue") { queuePage(); }
  if (page === "case") { casePage(); }
  if (page === "tickets") { ticketsPage(); }
  if (page === "ticket") { ticketPage(); }
})();

// desk: the canned reply picker puts the chosen reply, filled from the case, in the reply box
// (the agent edits it before sending; the server refuses a reply with a {placeholder} left).
(function () {
  "use strict";
  var picker = document.getElementById("canned-reply");
  var box = document.getElementById("reply-text");
  if (!picker || !box) { return; }
  picker.addEventListener("change", function () {
    var option = picker.options[picker.selectedIndex];
    if (!option || !option.value) { return; }
    box.value = option.getAttribute("data-text") || "";
    box.focus();
    var missing = option.getAttribute("data-missing");
    if (missing) {
      var at = box.value.indexOf(missing.split(" ")[0]);
      if (at >= 0) { box.setSelectionRange(at, at + missing.split(" ")[0].length); }
      box.title = picker.getAttribute("data-warn") || "";
    }
  });
})();
