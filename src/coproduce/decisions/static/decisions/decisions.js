/*
  A dot vote: keep the "Dots used" total up to date as the person types. Without JavaScript the total is
  checked on the server when the answer is sent, and the page says so.
*/
(function () {
  "use strict";
  function update(box) {
    var used = 0;
    box.querySelectorAll("input.cp-dot-input").forEach(function (input) {
      var n = parseInt(input.value, 10);
      if (!isNaN(n) && n > 0) { used += n; }
    });
    var output = box.querySelector(".cp-dots__used");
    if (output) { output.textContent = String(used); }
  }
  document.querySelectorAll("[data-cp-dots]").forEach(function (box) {
    box.addEventListener("input", function () { update(box); });
    update(box);
  });
})();
