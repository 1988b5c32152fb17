// Progressive enhancements only: every page works without JavaScript.
(function () {
  "use strict";
  var RULES = {
    length: function (p) { return p.length >= 8; },
    upper: function (p) { return /[A-ZÀ-Ý]/.test(p); },
    lower: function (p) { return /[a-zß-ÿ]/.test(p); },
    digit: function (p) { return /[0-9]/.test(p); },
    symbol: function (p) { return /[^A-Za-zÀ-ÿ0-9]/.test(p); }
  };

  function setupPasswordRules(list) {
    var pwd = document.getElementById(list.dataset.password);
    var confirm = document.getElementById(list.dataset.confirm);
    if (!pwd) { return; }
    function update() {
      var value = pwd.value;
      list.querySelectorAll("li[data-rule]").forEach(function (item) {
        var rule = item.dataset.rule;
        var ok = rule === "same"
          ? (value.length > 0 && confirm && confirm.value === value)
          : RULES[rule](value);
        item.classList.toggle("ok", ok);
        item.classList.toggle("ko", !ok);
        item.querySelector(".rule-state").textContent = ok ? " : respecté" : " : non respecté";
      });
    }
    pwd.addEventListener("input", update);
    if (confirm) { confirm.addEventListener("input", update); }
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".password-rules").forEach(setupPasswordRules);
  });
})();
