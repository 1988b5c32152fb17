// Warn before sending a file larger than the limit (the server refuses it anyway): the
// message appears under the field and is read by screen readers; the choice is cleared.
(function () {
  "use strict";
  function setup(input) {
    var max = parseInt(input.dataset.maxSize, 10);
    var note = document.createElement("p");
    note.className = "errorlist";
    note.setAttribute("role", "alert");
    note.hidden = true;
    input.insertAdjacentElement("afterend", note);
    input.addEventListener("change", function () {
      var tooBig = Array.prototype.filter.call(input.files || [], function (file) {
        return file.size > max;
      });
      if (tooBig.length) {
        note.textContent = tooBig.map(function (file) {
          return input.dataset.tooBig.replace("{name}", file.name);
        }).join(" ");
        note.hidden = false;
        input.value = "";
      } else {
        note.textContent = "";
        note.hidden = true;
      }
    });
  }
  function setupAll() {
    document.querySelectorAll("input[type=file][data-max-size]").forEach(setup);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setupAll);
  } else {
    setupAll();
  }
})();
