// The check-in list at the door: a tap is sent at once; a tap that cannot be sent (no
// connection, a server error) says so on its row, is kept in this phone's storage and is
// sent again by itself (when the connection returns, every 15 s, or on "Send again now").
// Without JavaScript each button is a plain form that posts and comes back.
(function () {
  "use strict";
  var list = document.getElementById("check-in-list");
  if (!list) return;
  var key = "webinars.check-in." + list.dataset.session;
  var banner = document.getElementById("check-in-pending");

  function load() {
    try { return JSON.parse(localStorage.getItem(key) || "[]"); } catch (e) { return []; }
  }
  function store(items) {
    try { localStorage.setItem(key, JSON.stringify(items)); } catch (e) { /* private mode */ }
    showPending(items);
  }
  function showPending(items) {
    if (!banner) return;
    banner.classList.toggle("d-none", items.length === 0);
    banner.querySelector(".message").textContent =
      banner.dataset.template.replace("{n}", String(items.length));
  }
  function rowOf(person) { return document.getElementById(person); }

  function paint(person, here, note) {
    var row = rowOf(person);
    if (!row) return;
    row.dataset.here = here ? "yes" : "no";
    row.classList.toggle("list-group-item-success", here);
    row.classList.remove("list-group-item-warning");
    var form = row.querySelector("form");
    if (form) {
      form.querySelector("input[name=undo]").value = here ? "1" : "0";
      var button = form.querySelector("button");
      button.textContent = here ? list.dataset.undo : list.dataset.tap;
      button.className = "btn btn-lg " + (here ? "btn-outline-secondary" : "btn-success");
      button.disabled = false;
    }
    row.querySelector(".state").textContent = note !== undefined ? note : (here ? list.dataset.in : "");
  }

  function failed(person) {
    var row = rowOf(person);
    if (!row) return;
    row.classList.add("list-group-item-warning");
    row.querySelector(".state").textContent = list.dataset.failed;
    var button = row.querySelector("button");
    if (button) button.disabled = false;
  }

  function send(item) {
    var body = new URLSearchParams();
    body.set("csrf_token", item.csrf);
    body.set("person", item.person);
    body.set("undo", item.undo);
    return fetch(item.action, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": item.csrf }
    }).then(function (response) {
      return response.json().then(function (data) {
        return { status: response.status, data: data };
      }, function () { return { status: response.status, data: null }; });
    });
  }

  // One attempt; resolves true when the tap is settled (saved, or refused for good).
  function attempt(item) {
    return send(item).then(function (answer) {
      if (answer.data && answer.data.ok) {
        paint(item.person, answer.data.checked_in, answer.data.checked_in ? list.dataset.in : "");
        return true;
      }
      if (answer.status === 422 && answer.data) {  // refused: say why, do not retry
        paint(item.person, rowOf(item.person) && rowOf(item.person).dataset.here === "yes", answer.data.message);
        return true;
      }
      failed(item.person);
      return false;
    }, function () { failed(item.person); return false; });
  }

  var flushing = false;
  function flush() {
    var items = load();
    if (flushing || items.length === 0) return;
    flushing = true;
    var left = [];
    items.reduce(function (chain, item) {
      return chain.then(function () {
        return attempt(item).then(function (done) { if (!done) left.push(item); });
      });
    }, Promise.resolve()).then(function () {
      // Taps made while flushing were appended to storage: keep them too.
      var now = load().slice(items.length);
      store(left.concat(now));
      flushing = false;
    });
  }

  list.addEventListener("submit", function (event) {
    var form = event.target.closest(".check-in-form");
    if (!form) return;
    event.preventDefault();
    var item = {
      action: form.action,
      csrf: form.querySelector("input[name=csrf_token]").value,
      person: form.querySelector("input[name=person]").value,
      undo: form.querySelector("input[name=undo]").value
    };
    var button = form.querySelector("button");
    button.disabled = true;
    rowOf(item.person).querySelector(".state").textContent = list.dataset.saving;
    // Later taps on the same row replace an unsent one.
    var pending = load().filter(function (p) { return p.person !== item.person; });
    if (pending.length) {
      pending.push(item);
      store(pending);
      failed(item.person);
      flush();
      return;
    }
    attempt(item).then(function (done) {
      if (!done) store(load().concat([item]));
    });
  });

  var filter = document.getElementById("check-in-filter");
  if (filter) {
    filter.addEventListener("input", function () {
      var text = filter.value.trim().toLowerCase();
      list.querySelectorAll(".check-in-row").forEach(function (row) {
        row.classList.toggle("d-none", text !== "" && row.dataset.name.indexOf(text) === -1);
      });
    });
  }
  var retry = document.getElementById("check-in-retry");
  if (retry) retry.addEventListener("click", flush);
  window.addEventListener("online", flush);
  setInterval(flush, 15000);
  load().forEach(function (item) { failed(item.person); });
  showPending(load());
  flush();
})();
