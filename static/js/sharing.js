/* Share page: use a suggested text, copy the post for networks that take a link only,
   and tell the page a share was made. The form itself submits to a new tab (formtarget),
   which the server answers with the network's share page: it works without this script. */
(function () {
  "use strict";

  function missingHashtags(text, tags) {
    var present = {};
    (text.match(/#[\p{L}\p{N}_]+/gu) || []).forEach(function (t) { present[t.slice(1).toLowerCase()] = true; });
    return tags.filter(function (t) { return t && !present[t.toLowerCase()]; });
  }

  function withHashtags(text, tags) {
    var missing = missingHashtags(text, tags);
    text = text.trim();
    return missing.length ? text + "\n\n" + missing.map(function (t) { return "#" + t; }).join(" ") : text;
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () {});
    }
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "fr-sr-only";
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); } catch (e) { /* the text stays in the form */ }
    document.body.removeChild(area);
    return Promise.resolve();
  }

  document.addEventListener("click", function (event) {
    var use = event.target.closest("[data-use-text]");
    if (use) {
      var source = document.querySelector(use.getAttribute("data-use-text"));
      var field = document.getElementById("share-text");
      if (source && field) {
        field.value = source.textContent.trim();
        field.dispatchEvent(new Event("input", { bubbles: true }));
        field.focus();
      }
      return;
    }
    var button = event.target.closest(".app-share-button");
    if (!button) return;
    var form = button.form;
    var text = document.getElementById("share-text").value;
    var tags = (form.getAttribute("data-hashtags") || "").split(" ").filter(Boolean);
    var status = document.getElementById("share-status");
    if (button.hasAttribute("data-clipboard")) {
      var post = withHashtags(text, tags);
      if (button.getAttribute("data-channel") === "copy") post += "\n\n" + button.getAttribute("data-tracked-url");
      // Copy first, while this page still has the focus the clipboard needs, then submit:
      // the new tab opening would otherwise take the focus before the copy is done.
      event.preventDefault();
      copy(post).then(function () {
        if (status) status.textContent = form.getAttribute("data-copied-label") || "Texte copié dans le presse-papiers.";
        if (form.requestSubmit) form.requestSubmit(button); else form.submit();
      });
    }
    // The list of my shares refreshes once the share is recorded.
    document.body.dispatchEvent(new CustomEvent("shared"));
  });

  // A blocking guideline finding disables the buttons of the channels it applies to (a
  // text too long for X still goes to LinkedIn) until the text is fixed.
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.target.id !== "checks") return;
    var checks = event.target.querySelector("[data-blocked]");
    var blocked = checks ? checks.getAttribute("data-blocked").split(" ").filter(Boolean) : [];
    document.querySelectorAll(".app-share-button").forEach(function (b) {
      if (b.getAttribute("data-channel") === "mastodon" && b.hasAttribute("aria-describedby")) return;
      b.disabled = blocked.indexOf(b.getAttribute("data-channel")) !== -1;
    });
  });
})();
