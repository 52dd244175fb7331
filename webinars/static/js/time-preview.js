// Preview a start time, as it is typed, in every partner city, the viewer's zone and UTC.
// Progressive enhancement: the form works without it, and the server does the real
// conversion (webinars/domain/timezones.py); this only helps people see what they typed.
(function () {
  "use strict";
  var HOUR = 3600000;
  var DAY = 24 * HOUR;

  function wallParts(zone, ms) {
    var parts = {};
    new Intl.DateTimeFormat("en-US", {
      timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", second: "2-digit"
    }).formatToParts(new Date(ms)).forEach(function (p) { parts[p.type] = p.value; });
    return parts;
  }

  // The zone's offset from UTC at the moment `ms`, in milliseconds.
  function offsetAt(zone, ms) {
    var p = wallParts(zone, ms);
    var wall = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour % 24, +p.minute, +p.second);
    return wall - (ms - (((ms % 1000) + 1000) % 1000));
  }

  // The UTC moments at which clocks in `zone` show `wall` (0: skipped, 2: repeated).
  function momentsFor(wall, zone) {
    var found = [];
    [offsetAt(zone, wall - DAY), offsetAt(zone, wall), offsetAt(zone, wall + DAY)]
      .forEach(function (offset) {
        var utc = wall - offset;
        if (offsetAt(zone, utc) === offset && found.indexOf(utc) === -1) { found.push(utc); }
      });
    return found.sort(function (a, b) { return a - b; });
  }

  function parseLocal(value) {
    var m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value || "");
    return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]) : null;
  }

  function offsetLabel(ms) {
    var minutes = Math.round(ms / 60000);
    var sign = minutes < 0 ? "-" : "+";
    minutes = Math.abs(minutes);
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return "UTC" + sign + pad(Math.floor(minutes / 60)) + ":" + pad(minutes % 60);
  }

  function cityOf(zone) { return zone.split("/").pop().replace(/_/g, " "); }

  function browserZone() {
    try { return Intl.DateTimeFormat().resolvedOptions().timeZone || null; } catch (e) { return null; }
  }

  // [{zone, label}] from the zone select: the chosen zone first, then every named place.
  function placesFrom(select) {
    var places = [];
    var seen = {};
    function add(zone, label) {
      if (!zone || seen[zone]) { return; }
      seen[zone] = true;
      places.push({ zone: zone, label: label });
    }
    var chosen = select.options[select.selectedIndex];
    if (chosen) {
      var label = chosen.getAttribute("data-place") || chosen.getAttribute("data-city");
      add(chosen.value, label || cityOf(chosen.value));
    }
    Array.prototype.forEach.call(select.querySelectorAll("option[data-place]"), function (o) {
      add(o.value, o.getAttribute("data-place"));
    });
    return places;
  }

  function setup(box) {
    var start = document.getElementById(box.getAttribute("data-start"));
    var zoneSelect = document.getElementById(box.getAttribute("data-zone"));
    var duration = document.getElementById(box.getAttribute("data-duration") || "");
    if (!start || !zoneSelect) { return; }
    var locale = box.getAttribute("data-locale") || undefined;
    var list = box.querySelector("[data-places]");
    var offsetLine = box.querySelector("[data-offset]");
    var warning = box.querySelector("[data-warning]");
    var dateLine = box.querySelector("[data-date]");

    function fmt(zone, ms, options) {
      options.timeZone = zone;
      return new Intl.DateTimeFormat(locale, options).format(new Date(ms));
    }
    function hhmm(zone, ms) { return fmt(zone, ms, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }); }
    function dayOf(zone, ms) { return fmt(zone, ms, { weekday: "short", day: "numeric", month: "short" }); }

    function item(label, zone, begin, end, firstDay, mine) {
      var li = document.createElement("li");
      var time = document.createElement("time");
      time.dateTime = new Date(begin).toISOString();
      time.textContent = hhmm(zone, begin) + (end ? "–" + hhmm(zone, end) : "");
      li.appendChild(time);
      li.appendChild(document.createTextNode(" " + label));
      var day = dayOf(zone, begin);
      if (day !== firstDay) {
        var other = document.createElement("span");
        other.className = "other-day";
        other.textContent = " (" + day + ")";
        li.appendChild(other);
      }
      if (mine) {
        li.className = "viewer";
        li.appendChild(document.createTextNode(" (" + box.getAttribute("data-label-you") + ")"));
      }
      return li;
    }

    function render() {
      var wall = parseLocal(start.value);
      var zone = zoneSelect.value;
      list.textContent = "";
      offsetLine.textContent = "";
      warning.textContent = "";
      dateLine.textContent = "";
      if (wall === null || !zone) { box.hidden = true; return; }
      var moments;
      try { moments = momentsFor(wall, zone); } catch (e) { box.hidden = true; return; }
      box.hidden = false;
      if (moments.length !== 1) {
        warning.textContent = box.getAttribute(moments.length ? "data-label-repeated" : "data-label-skipped");
        return;
      }
      var begin = moments[0];
      var minutes = duration ? parseInt(duration.value, 10) : NaN;
      var end = minutes > 0 ? begin + minutes * 60000 : null;
      var places = placesFrom(zoneSelect);
      // The server's rule first (the account's zone), as on the saved session page.
      var viewer = box.getAttribute("data-viewer-zone") || browserZone();
      var firstDay = dayOf(zone, begin);
      // Spelled out, so 06/12 cannot be read as 12 June when 6 December was meant.
      dateLine.textContent = fmt(zone, begin, {
        weekday: "long", day: "numeric", month: "long", year: "numeric"
      }) + ", " + hhmm(zone, begin) + " " + zone;
      var viewerShown = false;
      places.forEach(function (p) {
        var mine = viewer === p.zone;
        viewerShown = viewerShown || mine;
        list.appendChild(item(p.label, p.zone, begin, end, firstDay, mine));
      });
      if (viewer && !viewerShown) {
        // The server names the account's zone in the page's language ("Берлин").
        var ownLabel = viewer === box.getAttribute("data-viewer-zone") && box.getAttribute("data-viewer-label");
        list.appendChild(item(ownLabel || cityOf(viewer), viewer, begin, end, firstDay, true));
      }
      list.appendChild(item(box.getAttribute("data-label-utc"), "UTC", begin, end, firstDay, false));
      offsetLine.textContent = box.getAttribute("data-label-offset")
        .replace("{zone}", zone).replace("{offset}", offsetLabel(offsetAt(zone, begin)));
    }

    [start, zoneSelect, duration].forEach(function (el) {
      if (el) { el.addEventListener("input", render); el.addEventListener("change", render); }
    });
    render();
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-time-preview]"), setup);
})();
