/*
  The paper form's "Print this form" button: shown only when this script runs (it is hidden in the page), it
  opens the browser's print dialogue. Without JavaScript the page says how to print with the browser instead.
*/
(function () {
  "use strict";

  var buttons = document.querySelectorAll("[data-cp-print]");
  if (!window.print) { return; }
  Array.prototype.forEach.call(buttons, function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
}());
