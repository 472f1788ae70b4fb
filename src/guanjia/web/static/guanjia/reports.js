/* Draws the KPI charts a report page declares: <div data-kpi-chart="trend|ranking" data-source="<json_script id>">.
   Everything is local (vendored ECharts); nothing is fetched. */
(function () {
  "use strict";
  var COLOURS = ["#2f6fde", "#2e9d5b", "#e08a1e", "#c9453b"];

  function trend(data) {
    return {
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : v + "%"; } },
      legend: { bottom: 0, left: "center" },
      grid: { left: 8, right: 16, top: 16, bottom: 40, containLabel: true },
      xAxis: { type: "category", data: data.months },
      yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
      series: data.series.map(function (s) {
        return { type: "line", name: s.name, data: s.data, connectNulls: false, symbolSize: 6 };
      })
    };
  }

  function ranking(data) {
    return {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", min: 0, max: 100 },
      yAxis: { type: "category", data: data.ranking.names, inverse: true },
      series: [{ type: "bar", data: data.ranking.scores, barMaxWidth: 18, label: { show: true, position: "right" } }]
    };
  }

  var BUILDERS = { trend: trend, ranking: ranking };

  function draw(el) {
    var source = document.getElementById(el.dataset.source);
    var build = BUILDERS[el.dataset.kpiChart];
    if (!source || !build || !window.echarts) { return; }
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    var option = build(JSON.parse(source.textContent));
    option.color = COLOURS;
    option.textStyle = { fontFamily: window.getComputedStyle(document.body).fontFamily };
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-kpi-chart]").forEach(draw);
  });
})();
