/* Draws the charts a page declares: <div data-chart="pie|stacked-bar" data-source="<json_script id>">.
   Everything is local (vendored ECharts); nothing is fetched. */
(function () {
  "use strict";
  // Same order and colours as the management-mode badges in app.css.
  var MODE_COLOURS = ["#2f6fde", "#e08a1e", "#2e9d5b", "#c9453b"];

  function font() {
    return window.getComputedStyle(document.body).fontFamily;
  }

  function pie(data, narrow) {
    return {
      tooltip: { trigger: "item", formatter: "{b}: {c} ({d}%)" },
      legend: { bottom: 0, left: "center", itemWidth: 12, itemHeight: 12 },
      series: [{
        type: "pie",
        radius: narrow ? ["34%", "56%"] : ["42%", "68%"],
        center: ["50%", narrow ? "42%" : "45%"],
        label: { formatter: "{c}", fontSize: 13 },
        data: data.modes
      }]
    };
  }

  function stackedBar(data, narrow) {
    return {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { bottom: 0, left: "center", itemWidth: 12, itemHeight: 12 },
      grid: { left: 8, right: 16, top: 8, bottom: narrow ? 64 : 40, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: data.streets, inverse: true },
      series: data.modes.map(function (mode, i) {
        return {
          type: "bar", stack: "modes", name: mode.name, barMaxWidth: 28,
          data: data.by_street.map(function (row) { return row[i]; })
        };
      })
    };
  }

  var BUILDERS = { "pie": pie, "stacked-bar": stackedBar };

  function draw(el) {
    var source = document.getElementById(el.dataset.source);
    var build = BUILDERS[el.dataset.chart];
    if (!source || !build || !window.echarts) { return; }
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    var option = build(JSON.parse(source.textContent), el.clientWidth < 420);
    option.color = MODE_COLOURS;
    option.textStyle = { fontFamily: font() };
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-chart]").forEach(draw);
  });
})();
