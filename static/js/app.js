/* Small behaviours shared by every page. No inline script anywhere: the content
   security policy forbids it, so pages declare behaviour with data- attributes. */
(function () {
  "use strict";

  // CSRF token for htmx requests, read from the cookie-less meta tag of the page.
  document.addEventListener("htmx:configRequest", function (event) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta) {
      event.detail.headers["X-CSRFToken"] = meta.getAttribute("content");
    }
  });

  // A page rendered again after a refused action (a kit that cannot be submitted, say)
  // shows the reason next to the action, which a phone shows far below the top: focus
  // it, which scrolls it into view and has screen readers read it.
  var focusOnLoad = document.querySelector("[data-focus-on-load]");
  if (focusOnLoad) {
    focusOnLoad.focus();
  }

  // <button data-copy-target="#id"> copies the text of #id to the clipboard.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy-target]");
    if (!button) return;
    var target = document.querySelector(button.getAttribute("data-copy-target"));
    if (!target) return;
    var text = "value" in target ? target.value : target.textContent;
    var done = function () {
      var status = document.getElementById(button.getAttribute("aria-describedby") || "");
      if (status) status.textContent = button.getAttribute("data-copied-label") || "Copié";
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () {});
    } else if (target.select) {
      target.select();
      document.execCommand("copy");
      done();
    }
  });
})();
