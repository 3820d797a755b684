// The screener page's small enhancements; the page works without them.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    // Move focus to what changed, so keyboard and screen-reader users land on it.
    var target = document.getElementById("error-summary") || document.getElementById("result-heading");
    if (target) { target.focus(); }

    var text = document.getElementById("text");
    var count = document.getElementById("text_count");
    if (text && count) {
      var max = parseInt(text.getAttribute("maxlength") || "20000", 10);
      var update = function () {
        count.textContent = text.value.length.toLocaleString() + " of " + max.toLocaleString() + " characters";
      };
      text.addEventListener("input", update);
      update();
    }

    // One submission per click: scoring twice would audit the same contact twice.
    Array.prototype.forEach.call(document.querySelectorAll("form"), function (form) {
      form.addEventListener("submit", function () {
        var button = form.querySelector("button[type=submit]");
        if (button) { window.setTimeout(function () { button.disabled = true; }, 0); }
      });
    });
  });
})();
