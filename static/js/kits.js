/* The kit editor: add suggested-text rows (the unit picker has its own unit-picker.js). Loaded as a
   static file because the content security policy forbids inline scripts. Without
   JavaScript, "Ajouter un texte" posts the form and the server adds the row. */
(function () {
  "use strict";

  // "Ajouter un texte": clone the empty form of the formset and renumber it.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-formset-add]");
    if (!button) return;
    var prefix = button.getAttribute("data-formset-add");
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var template = document.getElementById(prefix + "-empty-form");
    var container = document.querySelector('[data-formset="' + prefix + '"]');
    if (!total || !template || !container) return;
    event.preventDefault();
    var index = parseInt(total.value, 10) || 0;
    var wrapper = document.createElement("div");
    wrapper.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
    var number = wrapper.querySelector("[data-text-number]");
    if (number) number.textContent = String(container.querySelectorAll("fieldset.app-text-form").length + 1);
    while (wrapper.firstChild) container.appendChild(wrapper.firstChild);
    total.value = String(index + 1);
    var field = container.querySelector("#id_" + prefix + "-" + index + "-body");
    if (field) field.focus();
  });
})();
