// Reads a JSON array of iCalendar bodies on stdin and prints a JSON array with, for each
// body, every VEVENT's UID and the UTC instants (Unix seconds) of its DTSTART and DTEND as
// Mozilla's ical.js (Thunderbird's parser) reads them. Each body's own VTIMEZONEs are
// registered first, as a client does, and forgotten before the next body.
import ICAL from "ical.js";

let text = "";
process.stdin.setEncoding("utf8");
for await (const chunk of process.stdin) text += chunk;

const results = [];
for (const body of JSON.parse(text)) {
  ICAL.TimezoneService.reset();
  const calendar = new ICAL.Component(ICAL.parse(body));
  for (const zone of calendar.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(zone);
  }
  const events = {};
  for (const vevent of calendar.getAllSubcomponents("vevent")) {
    const event = new ICAL.Event(vevent);
    events[event.uid] = [event.startDate.toUnixTime(), event.endDate.toUnixTime()];
  }
  results.push(events);
}
process.stdout.write(JSON.stringify(results));
