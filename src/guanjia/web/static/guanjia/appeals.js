/* Appeals forms: a form marked data-once sends once (the server's idempotency key covers retries too),
   and buttons with data-confirm ask first. No framework. */
(function () {
  "use strict";
  document.addEventListener("submit", function (evt) {
    var form = evt.target;
    var button = evt.submitter;
    if (button && button.dataset.confirm && !window.confirm(button.dataset.confirm)) {
      evt.preventDefault();
      return;
    }
    if (!form.hasAttribute || !form.hasAttribute("data-once")) return;
    if (form.dataset.sent) { evt.preventDefault(); return; }
    form.dataset.sent = "1";
    // Disable after this tick so the pressed button's own value is still sent.
    setTimeout(function () {
      form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
    }, 0);
  });
  // Coming back with the browser's back button restores the page: let it be sent again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-sent]").forEach(function (form) {
      delete form.dataset.sent;
      form.querySelectorAll("button").forEach(function (b) { b.disabled = false; });
    });
  });
})();
