/* Chart.js in the DSFR's colours, light or dark: the reports and "Mon impact" draw their
   charts through window.appCharts so that text, grid lines and series take the design
   system's theme tokens and follow the theme when the « Paramètres d'affichage » dialog
   (or the system) changes it. Chart.js's own greys (#666 text on the dark theme's #161616
   background, 3.3:1) and the blue France series (#000091, 1.3:1) were unreadable there. */
(function () {
  "use strict";
  if (typeof window.Chart === "undefined") return;

  // Semantic DSFR tokens: each holds one colour in the light theme and another in the
  // dark one (text-mention-grey is #666 on white, 5.7:1, and #929292 on #161616, 6.0:1).
  var TEXT = "--text-mention-grey";
  var GRID = "--border-default-grey";
  var SERIES = [
    "--text-action-high-blue-france",
    "--text-default-error",
    "--text-default-success",
    "--text-default-warning",
    "--text-action-high-purple-glycine",
  ];
  var FILL = "--background-action-low-blue-france";
  var charts = [];

  function token(name) {
    return window.getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  }

  function series(index) {
    return token(SERIES[index % SERIES.length]);
  }

  function applyDefaults() {
    window.Chart.defaults.color = token(TEXT);
    window.Chart.defaults.borderColor = token(GRID);
    window.Chart.defaults.font.family = window.getComputedStyle(document.body).fontFamily;
  }

  // The series, ticks, grid and legend of a chart's configuration in the current theme's
  // colours. It works on the plain configuration (`chart.config` once drawn): the resolved
  // `chart.options` are proxies over Chart.js's defaults, not objects to write into.
  function paint(config) {
    config.data.datasets.forEach(function (dataset, index) {
      dataset.borderColor = series(index);
      dataset.backgroundColor = dataset.fill ? token(FILL) : series(index);
      dataset.pointBackgroundColor = series(index);
    });
    var options = config.options;
    options.scales = options.scales || {};
    ["x", "y"].forEach(function (axis) {
      var scale = (options.scales[axis] = options.scales[axis] || {});
      scale.ticks = Object.assign({}, scale.ticks, { color: token(TEXT) });
      scale.grid = Object.assign({}, scale.grid, { color: token(GRID) });
    });
    options.plugins = options.plugins || {};
    var legend = (options.plugins.legend = options.plugins.legend || {});
    legend.labels = Object.assign({}, legend.labels, { color: token(TEXT) });
  }

  function draw(canvas, config) {
    applyDefaults();
    config.options = config.options || {};
    paint(config);
    var chart = new window.Chart(canvas, config);
    charts.push(chart);
    return chart;
  }

  function repaint() {
    applyDefaults();
    charts.forEach(function (chart) {
      paint(chart.config);
      chart.update();
    });
  }

  // The DSFR sets data-fr-theme on <html> whenever the theme changes.
  new MutationObserver(repaint).observe(document.documentElement, { attributes: true, attributeFilter: ["data-fr-theme"] });

  window.appCharts = { draw: draw };
})();
