// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  // Remember the browser's time zone so pages can show times in the viewer's own zone.
  try {
    // Written as is (IANA names are cookie-safe): the server does not URL-decode cookies.
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && /^[A-Za-z0-9_+\-\/]+$/.test(zone) && document.cookie.indexOf("tz=" + zone) === -1) {
      document.cookie = "tz=" + zone + ";path=/;max-age=31536000;SameSite=Lax";
    }
  } catch (e) { /* old browser: the session's own zone is shown instead */ }

  // A first visit has no zone cookie yet, so the server could not add the visitor's own
  // time to a "same time in each place" list: add it here. <ul class="place-times" data-you>
  try {
    var own = Intl.DateTimeFormat().resolvedOptions().timeZone;
    Array.prototype.forEach.call(document.querySelectorAll("ul.place-times[data-you]"), function (list) {
      var first = list.querySelector("li[data-zone] time[datetime]");
      if (!own || !first || list.querySelector(".viewer")) { return; }
      var zones = Array.prototype.map.call(list.querySelectorAll("li[data-zone]"), function (li) {
        return li.getAttribute("data-zone");
      });
      var listed = zones.indexOf(own);
      if (listed !== -1) {
        var mine = list.querySelectorAll("li[data-zone]")[listed];
        mine.classList.add("viewer");
        mine.appendChild(document.createTextNode(" (" + list.getAttribute("data-you") + ")"));
        return;
      }
      var moment = new Date(first.getAttribute("datetime"));
      var locale = document.documentElement.lang || undefined;
      var show = function (zone, options) {
        options.timeZone = zone;
        return new Intl.DateTimeFormat(locale, options).format(moment);
      };
      var dayOptions = function () { return { weekday: "short", day: "numeric", month: "short" }; };
      var li = document.createElement("li");
      li.className = "viewer";
      li.title = own;
      var time = document.createElement("time");
      time.dateTime = moment.toISOString();
      time.textContent = show(own, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
      li.appendChild(time);
      li.appendChild(document.createTextNode(" " + own.split("/").pop().replace(/_/g, " ")));
      if (show(own, dayOptions()) !== show(zones[0], dayOptions())) {
        var other = document.createElement("span");
        other.className = "other-day";
        other.textContent = " (" + show(own, dayOptions()) + ")";
        li.appendChild(other);
      }
      li.appendChild(document.createTextNode(" (" + list.getAttribute("data-you") + ")"));
      list.appendChild(li);
    });
  } catch (e) { /* the list stays as the server made it */ }

  // "Use this browser's time zone": one click sets a zone select to the browser's zone.
  // <p data-browser-zone="#select-id" hidden><button>...<span data-zone-name></span></button></p>
  try {
    var browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    Array.prototype.forEach.call(document.querySelectorAll("[data-browser-zone]"), function (box) {
      var select = document.querySelector(box.getAttribute("data-browser-zone"));
      var offered = select && Array.prototype.some.call(select.options, function (o) {
        return o.value === browserZone;
      });
      if (!offered) { return; }
      box.querySelector("[data-zone-name]").textContent = browserZone;
      box.hidden = false;
      box.querySelector("button").addEventListener("click", function () {
        select.value = browserZone;
        select.dispatchEvent(new Event("change", { bubbles: true }));
      });
    });
  } catch (e) { /* no Intl zone: the select alone */ }

  // A long select (the time zones) gets a search box: typing "sam" or "сам" keeps only
  // the matching options. <select data-searchable>; the label text comes from the page.
  Array.prototype.forEach.call(document.querySelectorAll("select[data-searchable]"), function (select) {
    var search = document.createElement("input");
    search.type = "search";
    search.className = "form-control form-control-sm mb-1 zone-search";
    search.setAttribute("aria-controls", select.id);
    search.setAttribute("aria-label", document.documentElement.getAttribute("data-label-search") || "Search");
    search.placeholder = search.getAttribute("aria-label");
    select.parentNode.insertBefore(search, select);
    search.addEventListener("input", function () {
      var words = search.value.trim().toLowerCase();
      var first = null;
      Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (group) {
        var shown = 0;
        Array.prototype.forEach.call(group.querySelectorAll("option"), function (option) {
          var text = (group.label + " " + option.textContent).toLowerCase();
          var match = !words || text.indexOf(words) !== -1 || option.selected;
          option.hidden = !match;
          if (match) { shown += 1; if (!first && !option.selected && words) { first = option; } }
        });
        group.hidden = shown === 0;
      });
      if (first && words) {
        select.value = first.value;
        select.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
  });

  // A long list of checkboxes (300 lecturers, 40 academies) gets a search box: typing
  // "rust" keeps only the names containing it; the ticked ones always stay in sight.
  // <div class="checkbox-list" data-search-label="...">
  Array.prototype.forEach.call(document.querySelectorAll(".checkbox-list[data-search-label]"), function (list) {
    var items = list.querySelectorAll(".form-check");
    if (items.length <= 12) { return; }
    var search = document.createElement("input");
    search.type = "search";
    search.className = "form-control form-control-sm mb-1 list-search";
    search.setAttribute("aria-label", list.getAttribute("data-search-label"));
    search.placeholder = list.getAttribute("data-search-label");
    list.parentNode.insertBefore(search, list);
    search.addEventListener("input", function () {
      var words = search.value.trim().toLowerCase();
      Array.prototype.forEach.call(items, function (item) {
        var box = item.querySelector("input");
        var text = item.textContent.toLowerCase();
        item.hidden = !!words && text.indexOf(words) === -1 && !(box && box.checked);
      });
    });
  });

  // A part of a form shown only for some choices of a radio group:
  // <div data-shown-for="conference" data-values="link"> (the meeting link, for "a link").
  Array.prototype.forEach.call(document.querySelectorAll("[data-shown-for]"), function (part) {
    var name = part.getAttribute("data-shown-for");
    var values = part.getAttribute("data-values").split(" ");
    var radios = document.querySelectorAll('input[type="radio"][name="' + name + '"]');
    function update() {
      var chosen = document.querySelector('input[type="radio"][name="' + name + '"]:checked');
      // Never hide a field that carries a message: the person must see what to fix.
      part.hidden = !!chosen && values.indexOf(chosen.value) === -1 && !part.querySelector(".is-invalid");
    }
    Array.prototype.forEach.call(radios, function (r) { r.addEventListener("change", update); });
    update();
  });

  // Copy-to-clipboard buttons: <button data-copy="#element-id">.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button || !navigator.clipboard) { return; }
    var source = document.querySelector(button.getAttribute("data-copy"));
    if (!source) { return; }
    navigator.clipboard.writeText(source.value || source.textContent.trim()).then(function () {
      button.textContent = button.getAttribute("data-copied") || "Copied";
    });
  });
})();
