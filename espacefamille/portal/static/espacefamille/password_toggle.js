// "Afficher le mot de passe": a button after each password field of the page (progressive
// enhancement: without JavaScript the fields stay hidden, as typed).
(function () {
  "use strict";

  function addToggle(input) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button button-small button-secondary password-toggle";
    button.setAttribute("aria-pressed", "false");
    button.setAttribute("aria-controls", input.id);
    button.textContent = "Afficher le mot de passe";
    button.addEventListener("click", function () {
      var shown = input.type === "password";
      input.type = shown ? "text" : "password";
      button.setAttribute("aria-pressed", shown ? "true" : "false");
    });
    input.insertAdjacentElement("afterend", button);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[type=password]").forEach(addToggle);
  });
})();
