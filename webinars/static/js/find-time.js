// The find-a-time grid inside a session form, with JavaScript: the grid comes in place
// (GET find-a-time/grid?mode=form) instead of posting the form back, a click on a free
// cell fills the start field (and marks the cells the duration spans), and the week and
// day buttons page the grid. Without this script every one of those buttons posts the
// form, which returns with the grid and everything typed kept (web/manage/find_time.py).
(function () {
  "use strict";
  var form = document.querySelector("form [data-find-time]");
  form = form && form.form;
  if (!form || !window.fetch) { return; }
  var box = document.getElementById("find-time");
  var start = form.querySelector("[name=starts_local]");

  function grid() { return document.getElementById("find-time-grid"); }

  function query(extra) {
    var params = new URLSearchParams();
    var holder = grid() || box.querySelector("[data-find-time]");
    var fixed = JSON.parse(holder.getAttribute("data-fixed") || "{}");
    ["academy_ids", "lecturer_ids"].forEach(function (name) {
      var boxes = form.querySelectorAll("input[name=" + name + "]");
      if (boxes.length) {
        boxes.forEach(function (b) { if (b.checked) { params.append(name, b.value); } });
      } else {
        (fixed[name] || []).forEach(function (v) { params.append(name, v); });
      }
    });
    if (fixed.session_id) { params.set("session_id", fixed.session_id); }
    ["time_zone", "duration_minutes", "starts_local"].forEach(function (name) {
      var field = form.querySelector("[name=" + name + "]");
      if (field && field.value) { params.set(name, field.value); }
    });
    var sessionPath = form.getAttribute("action") || window.location.pathname;
    var match = /\/sessions\/(\d+)\//.exec(sessionPath);
    if (match && !params.has("session_id")) { params.set("session_id", match[1]); }
    params.set("mode", "form");
    Object.keys(extra || {}).forEach(function (k) { params.set(k, extra[k]); });
    return params;
  }

  function load(extra) {
    var url = box.querySelector("[data-find-time]").getAttribute("data-grid-url") ||
      (grid() && grid().getAttribute("data-grid-url"));
    return fetch(url + "?" + query(extra).toString(), {credentials: "same-origin"})
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.text();
      })
      .then(function (html) {
        var holder = document.createElement("div");
        holder.innerHTML = html;
        var fresh = holder.querySelector("#find-time-grid");
        var old = grid();
        if (old) { old.replaceWith(fresh); } else { box.appendChild(fresh); }
        mark(start && start.value);
      });
  }

  // Outline the cells a session starting at `value` would span, for the chosen duration.
  function mark(value) {
    var current = grid();
    if (!current) { return; }
    current.querySelectorAll(".slot-chosen").forEach(function (c) { c.classList.remove("slot-chosen"); });
    current.querySelectorAll("[aria-pressed]").forEach(function (b) { b.setAttribute("aria-pressed", "false"); });
    if (!value) { return; }
    var minutes = parseInt((form.querySelector("[name=duration_minutes]") || {}).value, 10) || 60;
    var first = new Date(value + ":00Z").getTime();
    current.querySelectorAll("td[data-start]").forEach(function (cell) {
      var at = new Date(cell.getAttribute("data-start") + ":00Z").getTime();
      if (at >= first && at < first + minutes * 60000) { cell.classList.add("slot-chosen"); }
    });
    var button = current.querySelector("button[name=pick_start][value='" + value + "']");
    if (button) { button.setAttribute("aria-pressed", "true"); }
  }

  box.addEventListener("click", function (event) {
    var target = event.target.closest("button");
    if (!target || !box.contains(target)) { return; }
    if (target.name === "pick_start") {
      event.preventDefault();
      if (start) {
        start.value = target.value;
        start.dispatchEvent(new Event("input", {bubbles: true}));
        start.dispatchEvent(new Event("change", {bubbles: true}));
      }
      mark(target.value);
      var note = document.getElementById("find-time-picked");
      if (note && start) {
        var label = start.labels && start.labels[0] ? start.labels[0].textContent.trim() + ": " : "";
        note.textContent = label + target.value.replace("T", " ");
      }
    } else if (target.hasAttribute("data-find-time")) {
      event.preventDefault();
      load({});
    } else if (target.hasAttribute("data-grid-nav")) {
      event.preventDefault();
      var extra = {};
      extra[target.name === "grid_day" ? "day" : "week"] = target.value;
      load(extra).then(function () {
        var again = grid() && grid().querySelector("[data-grid-nav][name=" + target.name + "]");
        if (again) { again.focus(); }
      });
    }
  });
})();
