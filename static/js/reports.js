/* Reach reports: draws the trend, network and unit charts from the page's JSON data
   (Chart.js, vendored). The tables beside each chart hold the same numbers. */
(function () {
  "use strict";
  var COLOURS = ["#000091", "#e1000f", "#18753c", "#b34000", "#6a6af4"];

  function datasets(series, filled) {
    return series.map(function (s, i) {
      return { label: s.label, data: s.values, borderColor: COLOURS[i % COLOURS.length],
        backgroundColor: COLOURS[i % COLOURS.length], fill: false, tension: 0, borderWidth: 2,
        pointRadius: filled ? 0 : 2 };
    });
  }

  function draw(id, type, block) {
    var canvas = document.getElementById(id);
    if (!canvas || !block) return;
    new window.Chart(canvas, {
      type: type,
      data: { labels: block.labels, datasets: datasets(block.series, type === "line") },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
        plugins: { legend: { position: "bottom" } },
      },
    });
    canvas.dataset.drawn = "true";
  }

  // Typing dates or a month means that kind of period: without this, dates typed while
  // the picker still says "30 derniers jours" were silently ignored.
  function followPeriodFields() {
    var kind = document.getElementById("id_periode");
    if (!kind) return;
    function follow(id, value) {
      var input = document.getElementById(id);
      if (!input) return;
      var choose = function () { if (input.value) kind.value = value; };
      input.addEventListener("input", choose);
      input.addEventListener("change", choose);
    }
    follow("id_debut", "custom");
    follow("id_fin", "custom");
    follow("id_mois", "month");
  }

  document.addEventListener("DOMContentLoaded", function () {
    followPeriodFields();
    var source = document.getElementById("report-chart-data");
    if (!source || typeof window.Chart === "undefined") return;
    var data = JSON.parse(source.textContent);
    draw("chart-trend", "line", data.trend);
    draw("chart-networks", "bar", data.networks);
    draw("chart-units", "bar", data.units);
  });
})();
