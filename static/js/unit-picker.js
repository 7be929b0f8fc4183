/* The unit picker (template tag `unit_picker`): typing filters the units and opens the
   regions holding a match. Loaded as a static file because the content security policy
   forbids inline scripts; without JavaScript, the search box stays hidden and each
   region still opens on its own. */
(function () {
  "use strict";

  function normalise(text) {
    return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function filterUnits(input) {
    var picker = document.getElementById(input.getAttribute("data-unit-filter"));
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
    var status = input.closest("[data-unit-filter-group]").querySelector("[data-unit-filter-status]");
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
