/* Agent console: live queue and transcript by polling the JSON API (no inline script, no libraries). */
(function () {
  "use strict";

  var body = document.body;
  var pollMs = (parseInt(body.getAttribute("data-poll"), 10) || 3) * 1000;

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

  function getJson(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (response.status === 401) {
          window.location.assign("/login?next=" + encodeURIComponent(window.location.pathname));
          throw new Error("signed out");
        }
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      });
  }

  // Calls ``refresh`` now and again ``pollMs`` after each answer (never two at once).
  function poll(refresh) {
    function tick() {
      refresh()
        .then(function () { showOffline(false); })
        .catch(function () { showOffline(true); })
        .then(function () { window.setTimeout(tick, pollMs); });
    }
    window.setTimeout(tick, pollMs);
  }

  // Fragments come from the server, rendered and escaped there.
  function replace(id, html) {
    var element = document.getElementById(id);
    if (element && element.innerHTML !== html) {
      element.innerHTML = html;
      return true;
    }
    return false;
  }

  function queuePage() {
    poll(function () {
      return getJson("/api/queue" + window.location.search).then(function (data) {
        replace("waiting-rows", data.html.waiting);
        replace("claimed-rows", data.html.claimed);
        replace("queue-pager", data.html.pager);
      });
    });
  }

  function casePage() {
    var id = body.getAttribute("data-case-id");
    var list = document.getElementById("transcript");
    poll(function () {
      return getJson("/api/cases/" + encodeURIComponent(id)).then(function (data) {
        var atBottom = list.scrollTop + list.clientHeight >= list.scrollHeight - 8;
        if (replace("transcript", data.html.transcript) && atBottom) {
          list.scrollTop = list.scrollHeight;
        }
        var changed = data.status !== body.getAttribute("data-status") ||
          (data.claimed_by || "") !== body.getAttribute("data-claimed-by");
        document.getElementById("case-changed").hidden = !changed;
      });
    });
    list.scrollTop = list.scrollHeight;
  }

  var page = body.getAttribute("data-page");
  if (page === "queue") { queuePage(); }
  if (page === "case") { casePage(); }
})();
