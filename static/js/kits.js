/* The kit editor: add suggested-text rows and filter the unit picker. Loaded as a
   static file because the content security policy forbids inline scripts. Without
   JavaScript, "Ajouter un texte" posts the form and the server adds the row. */
(function () {
  "use strict";

  function normalise(text) {
    return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

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

  // Unit picker: typing filters the units and opens the regions holding a match.
  function filterUnits(input) {
    var picker = document.querySelector(input.getAttribute("data-unit-filter"));
    if (!picker) return;
    var query = normalise(input.value.trim());
    var shown = 0;
    picker.querySelectorAll("[data-unit-region]").forEach(function (region) {
      var regionName = normalise(region.querySelector("summary").textContent);
      var matches = 0;
      region.querySelectorAll("[data-unit-option]").forEach(function (option) {
        var hit = !query || regionName.indexOf(query) !== -1 || normalise(option.textContent).indexOf(query) !== -1;
        option.hidden = !hit;
        if (hit) matches += 1;
      });
      region.hidden = matches === 0;
      if (query) region.open = matches > 0;
      shown += matches;
    });
    var status = document.getElementById("unit-filter-status");
    if (status) status.textContent = query ? shown + " unité(s) correspondante(s)" : "";
  }

  document.addEventListener("input", function (event) {
    if (event.target.matches("[data-unit-filter]")) filterUnits(event.target);
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-unit-filter-group]").forEach(function (group) {
      group.hidden = false;
    });
  });
})();
