/*
  The attendance register, with JavaScript: each tick is sent in the background, kept in this browser
  (localStorage) until the server confirms it, and sent again when the connection comes back. Without this
  file each tick is an ordinary form post (the page works the same, one tick at a time).

  A tick carries `present` as a value ("yes" or "no", never a toggle) and a fresh `client_token`, so the
  server applies a tick sent twice only once. Only the person's id and the value are kept in the browser,
  under the event's key, and removed once saved.
*/
(function () {
  "use strict";

  var list = document.querySelector("[data-cp-register]");
  if (!list || !window.fetch || !window.localStorage) { return; }

  var KEY = "coproduce.register." + list.getAttribute("data-cp-register");
  var RETRY_MS = 5000;
  var sending = false;
  var words = {
    yes: list.getAttribute("data-word-yes") || "Present",
    no: list.getAttribute("data-word-no") || "Not here",
    waiting: list.getAttribute("data-word-waiting") || "Waiting to save",
    saved: list.getAttribute("data-word-saved") || "Saved",
    summaryWaiting: list.getAttribute("data-word-summary") || "ticks waiting to save",
    refused: list.getAttribute("data-word-refused") || "Not saved: reload the page and tick again."
  };
  var summary = document.querySelector("[data-cp-register-summary]");

  function load() {
    try { return JSON.parse(window.localStorage.getItem(KEY) || "{}") || {}; } catch (error) { return {}; }
  }

  function store(queue) {
    try {
      if (Object.keys(queue).length) { window.localStorage.setItem(KEY, JSON.stringify(queue)); }
      else { window.localStorage.removeItem(KEY); }
    } catch (error) { /* storage full or refused: the tick is still in memory and is retried */ }
  }

  var queue = load();

  function token() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID().replace(/-/g, ""); }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function csrf() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function row(person) { return document.getElementById("person-" + person); }

  function show(person, present, saved) {
    var item = row(person);
    if (!item) { return; }
    var state = item.querySelector("[data-state]");
    state.textContent = (present === "yes" ? words.yes : words.no) + ": " + (saved ? words.saved : words.waiting);
    item.setAttribute("data-saved", saved ? "true" : "false");
    var buttons = item.querySelectorAll("button[name=present]");
    for (var i = 0; i < buttons.length; i += 1) {
      var chosen = buttons[i].value === present;
      buttons[i].setAttribute("aria-pressed", chosen ? "true" : "false");
      buttons[i].classList.toggle("ds_button--secondary", !chosen);
    }
    showSummary();
  }

  function showSummary() {
    if (!summary) { return; }
    var n = Object.keys(queue).length;
    summary.hidden = n === 0;
    summary.textContent = n ? n + " " + words.summaryWaiting : "";
  }

  function sendNext() {
    if (sending) { return; }
    var people = Object.keys(queue);
    if (!people.length) { return; }
    var person = people[0];
    var tick = queue[person];
    var body = new URLSearchParams();
    body.set("csrfmiddlewaretoken", csrf());
    body.set("person", person);
    body.set("present", tick.present);
    body.set("client_token", tick.token);
    sending = true;
    window.fetch(list.getAttribute("data-action"), {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": csrf() }
    }).then(function (response) {
      if ((response.headers.get("Content-Type") || "").indexOf("application/json") === -1) {
        // Not found (the person or the event is out of reach): refused for good. Anything else (the server
        // failing, a sign-in page): kept and sent again later.
        if (response.status === 404) { return { ok: false, answer: {} }; }
        throw new Error("not saved: " + response.status);
      }
      return response.json().then(function (answer) { return { ok: response.ok, answer: answer }; });
    }).then(function (result) {
      sending = false;
      var current = queue[person];
      if (result.ok && result.answer.saved) {
        // A newer tick for the same person may have come while this one was on its way: keep that one.
        if (current && current.token === tick.token) { delete queue[person]; store(queue); }
        show(person, (queue[person] || tick).present, !queue[person]);
        sendNext();
      } else {
        // Refused (not a connection problem): say so, and do not send it again.
        delete queue[person];
        store(queue);
        var item = row(person);
        if (item) { item.querySelector("[data-state]").textContent = result.answer.error || words.refused; }
        showSummary();
        sendNext();
      }
    }).catch(function () {
      sending = false;  // offline or the server did not answer: kept, and tried again later
      showSummary();
    });
  }

  list.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("[data-cp-tick]")) { return; }
    var submitter = event.submitter;
    if (!submitter || submitter.name !== "present") { return; }  // no submitter: let the form post itself
    event.preventDefault();
    var person = form.querySelector("input[name=person]").value;
    queue[person] = { present: submitter.value, token: token() };
    store(queue);
    show(person, submitter.value, false);
    sendNext();
  });

  // Ticks kept from before (the page was closed or reloaded offline): show them, and send them.
  Object.keys(queue).forEach(function (person) { show(person, queue[person].present, false); });
  window.addEventListener("online", sendNext);
  window.setInterval(sendNext, RETRY_MS);
  sendNext();
}());
