// "Mes réservations": progressive enhancements only (every page works without JavaScript;
// the week view's partial updates come from htmx attributes in the markup).
(function () {
  "use strict";

  // "Mes inscriptions": a "Copier" button beside each calendar address.
  function addCopyButton(input) {
    if (!navigator.clipboard) { return; }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button button-small button-secondary";
    button.textContent = "Copier l'adresse";
    var status = document.createElement("span");
    status.setAttribute("role", "status");
    status.className = "hint";
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(input.value).then(function () {
        status.textContent = " Adresse copiée.";
      });
    });
    input.addEventListener("focus", function () { input.select(); });
    input.parentNode.appendChild(button);
    input.parentNode.appendChild(status);
  }

  // "Mes réservations": the service and the number of weeks apply as soon as they change
  // (the form keeps the child shown and the first week in hidden fields).
  function applyOnChange(form) {
    var hint = form.querySelector("#agenda-filters-hint");
    if (hint && hint.dataset.liveText) { hint.textContent = hint.dataset.liveText; }
    form.querySelectorAll("select").forEach(function (select) {
      select.addEventListener("change", function () { form.submit(); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input.feed-url").forEach(addCopyButton);
    document.querySelectorAll("form.agenda-filters").forEach(applyOnChange);
  });
})();
