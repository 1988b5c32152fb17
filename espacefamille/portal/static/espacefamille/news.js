// "Lire plus" opens the post in a modal <dialog> (a page of its own without JavaScript).
// The dialog keeps Tab inside itself, closes with "Fermer" or Escape, and gives the focus back
// to the link that opened it.
(function () {
  "use strict";
  var FOCUSABLE = "a[href], button:not([disabled]), input, select, textarea, [tabindex]:not([tabindex='-1'])";

  function trap(dialog, event) {
    if (event.key !== "Tab") { return; }
    var items = Array.prototype.slice.call(dialog.querySelectorAll(FOCUSABLE));
    if (!items.length) { return; }
    var first = items[0];
    var last = items[items.length - 1];
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  }

  function setup(link) {
    var dialog = document.getElementById(link.dataset.dialog);
    if (!dialog || typeof dialog.showModal !== "function") { return; }
    link.addEventListener("click", function (event) {
      event.preventDefault();
      dialog.showModal();
      var close = dialog.querySelector("[data-close]");
      if (close) { close.focus(); }
    });
    dialog.addEventListener("keydown", function (event) { trap(dialog, event); });
    dialog.addEventListener("close", function () { link.focus(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("a[data-dialog]").forEach(setup);
  });
})();
