// The report's Print button: shown and wired only when scripts run (the browser's own
// print command works everywhere, with the same print stylesheet).
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("button[data-print]"), function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
