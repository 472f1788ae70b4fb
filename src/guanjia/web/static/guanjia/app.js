/* Small behaviours on top of htmx. */
(function () {
  "use strict";
  // htmx leaves 4xx responses unswapped. A refusal that the server marks as a fragment (e.g. "you may
  // not see the full number") is shown in place; any other error still is not.
  document.addEventListener("htmx:beforeSwap", function (evt) {
    var xhr = evt.detail.xhr;
    if (xhr.status === 403 && xhr.getResponseHeader("X-Guanjia-Fragment")) {
      evt.detail.shouldSwap = true;
      evt.detail.isError = false;
    }
  });
})();
