/* Reach reports: draws the trend, network and unit charts from the page's JSON data
   (Chart.js, vendored). The tables beside each chart hold the same numbers. */
(function () {
  "use strict";
  // Colours come from the DSFR theme, light or dark (static/js/charts.js).
  function datasets(series, filled) {
    return series.map(function (s) {
      return { label: s.label, data: s.values, fill: false, tension: 0, borderWidth: 2, pointRadius: filled ? 0 : 2 };
    });
  }

  var NARROW = 576;  // DSFR's small breakpoint, in CSS pixels
  var LINE = 20;  // characters per line of a label on a narrow screen

  // "Direction régionale Auvergne-Rhône-Alpes" on lines of at most LINE characters
  // (a longer word keeps its own line): the names share their first words, so cutting
  // them short would leave a column of identical labels.
  function lines(label) {
    var result = [];
    label.split(" ").forEach(function (word) {
      var last = result.length - 1;
      if (last >= 0 && (result[last] + " " + word).length <= LINE) result[last] += " " + word;
      else result.push(word);
    });
    return result;
  }

  // `sideways`: on a narrow screen the bars lie horizontally, each unit's name written
  // whole beside its bars, and the chart is as tall as they need. Upright, a dozen
  // regions' names slanted under the bars took the whole canvas.
  function draw(id, type, block, sideways) {
    var canvas = document.getElementById(id);
    if (!canvas || !block) return;
    var horizontal = Boolean(sideways) && canvas.parentNode.clientWidth < NARROW;
    var values = { beginAtZero: true, ticks: { precision: 0 } };
    var scales = { y: values };
    if (horizontal) {
      var wrapped = block.labels.map(lines);
      var height = wrapped.reduce(function (sum, l) { return sum + Math.max(36, l.length * 16 + 12); }, 90);
      canvas.parentNode.style.height = Math.max(260, height) + "px";
      scales = {
        x: values,
        y: { ticks: { autoSkip: false, callback: function (value, index) { return wrapped[index]; } } },
      };
    }
    window.appCharts.draw(canvas, {
      type: type,
      data: { labels: block.labels, datasets: datasets(block.series, type === "line") },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        indexAxis: horizontal ? "y" : "x",
        scales: scales,
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
    if (!source || typeof window.appCharts === "undefined") return;
    var data = JSON.parse(source.textContent);
    draw("chart-trend", "line", data.trend);
    draw("chart-networks", "bar", data.networks);
    draw("chart-units", "bar", data.units, true);
  });
})();
