/* "Mon impact": draws the clicks-per-day chart from the page's JSON data (Chart.js, vendored). */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var canvas = document.getElementById("impact-chart");
    var source = document.getElementById("impact-chart-data");
    if (!canvas || !source || typeof window.appCharts === "undefined") return;
    var data = JSON.parse(source.textContent);
    // Colours come from the DSFR theme, light or dark (static/js/charts.js).
    window.appCharts.draw(canvas, {
      type: "line",
      data: {
        labels: data.labels,
        datasets: [{ label: data.label, data: data.values, fill: true, tension: 0.2 }],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
        plugins: { legend: { display: false } },
      },
    });
  });
})();
