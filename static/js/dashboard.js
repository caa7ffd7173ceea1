/* The organizer's dashboard, kept live: asks stats.json for fresh figures every few seconds and puts them in
 * place — counters, tables, charts — without reloading the page.
 *
 * Progressive: the server-rendered page already shows every number; without this script (or without Chart.js)
 * it stays a complete, if still, page. No inline script: the URL, the interval and every message come from
 * data-* attributes on #dashboard, each chart's first data from its canvas's data-chart. The server formats
 * every text (labels, tenge, times in the forum's zone); this file only copies it (and groups axis ticks).
 */
(function () {
  "use strict";

  var root = document.getElementById("dashboard");
  if (!root || !window.fetch) { return; }

  var data = root.dataset;
  var seconds = Math.max(1, parseInt(data.refreshSeconds, 10) || 10);
  var problem = document.getElementById("dashboard-problem");
  var charts = {};        // chart id → Chart instance
  var shownTables = {};   // table id → the JSON last drawn (unchanged tables are not rebuilt)
  var timer = null;
  var busy = false;
  var stopped = false;
  var reducedMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  // Asar's colours (static/css/asar.css), then a few that stay apart for colour-blind readers.
  var PALETTE = ["#0b6e6e", "#f2c14e", "#4a6fa5", "#b85c38", "#7a4e9e", "#3d8b3d", "#c94f7c", "#55606e"];

  // -- small helpers ---------------------------------------------------------------------------------------

  function byId(id) { return document.getElementById(id); }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  function empty(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }

  var compact = null;
  try {
    compact = new Intl.NumberFormat(document.documentElement.lang || undefined,
                                    { notation: "compact", maximumFractionDigits: 1 });
  } catch (e) { /* an old browser: axis ticks are grouped in full */ }

  function tick(value, money) {
    // Axis ticks stay short (tenge: "20 млн"); the tooltips and the tables give the exact figures.
    return money && compact && Math.abs(value) >= 10000 ? compact.format(value) : grouped(value);
  }

  function narrow() { return root.clientWidth < 640; }

  function isHorizontal(spec) {
    // On a phone every bar chart lies on its side: long labels read across, not tilted.
    return spec.type !== "doughnut" && (!!spec.horizontal || narrow());
  }

  function shorten(label) {
    // Category labels (sectors, regions, states) are cut to fit beside the bars; tooltips and tables have them whole.
    var limit = narrow() ? 16 : 30;
    label = String(label);
    return label.length > limit ? label.slice(0, limit - 1) + "\u2026" : label;
  }

  function grouped(value) {
    // 2000000 → "2 000 000" (no-break spaces), as app/i18n.py's format_kzt groups tenge.
    return String(Math.round(value)).replace(/\B(?=(\d{3})+(?!\d))/g, "\u00a0");
  }

  function flash(node) {
    var card = node.closest(".counter");
    if (!card || reducedMotion) { return; }
    card.classList.remove("is-changed");
    void card.offsetWidth;  // restart the animation
    card.classList.add("is-changed");
  }

  function setText(id, text, animate) {
    var node = byId(id);
    if (!node || node.textContent === text) { return; }
    node.textContent = text;
    if (animate) { flash(node); }
  }

  function showProblem(message) {
    if (!problem) { return; }
    if (message) {
      if (problem.textContent !== message) { problem.textContent = message; }
      problem.hidden = false;
    } else {
      problem.hidden = true;
    }
  }

  // -- charts ----------------------------------------------------------------------------------------------

  function datasetsOf(spec) {
    var doughnut = spec.type === "doughnut";
    return spec.datasets.map(function (set, index) {
      var colour = PALETTE[index % PALETTE.length];
      return {
        label: set.label,
        data: set.data.slice(),
        backgroundColor: doughnut ? spec.labels.map(function (_, i) { return PALETTE[i % PALETTE.length]; }) : colour,
        borderColor: doughnut ? "#ffffff" : colour,
        borderWidth: doughnut ? 2 : 0,
        maxBarThickness: 48
      };
    });
  }

  function configOf(spec) {
    var horizontal = isHorizontal(spec);
    var doughnut = spec.type === "doughnut";
    var valueTicks = { precision: 0, callback: function (value) { return tick(value, spec.money); } };
    var options = {
      responsive: true,
      maintainAspectRatio: false,
      animation: reducedMotion ? false : { duration: 400 },
      plugins: {
        legend: { display: doughnut || spec.datasets.length > 1, position: "bottom" },
        tooltip: {
          callbacks: {
            label: function (context) {
              var raw = context.raw || 0;
              var text = spec.money ? grouped(raw) + "\u00a0\u20b8" : grouped(raw);
              return (doughnut ? context.label : context.dataset.label) + ": " + text;
            }
          }
        }
      }
    };
    if (!doughnut) {
      options.indexAxis = horizontal ? "y" : "x";
      options.scales = {};
      options.scales[horizontal ? "x" : "y"] = { beginAtZero: true, ticks: valueTicks };
      options.scales[horizontal ? "y" : "x"] = {
        ticks: { autoSkip: !horizontal, callback: function (value) { return shorten(this.getLabelForValue(value)); } }
      };
    }
    return { type: doughnut ? "doughnut" : "bar", data: { labels: spec.labels.slice(), datasets: datasetsOf(spec) },
             options: options };
  }

  function sizeBox(id, spec) {
    // Horizontal bars get room for every label (regions: up to 20 rows).
    var box = byId("box-" + id);
    if (box && isHorizontal(spec)) {
      var rows = spec.labels.length * Math.max(1, spec.datasets.length);
      box.style.height = Math.max(12, Math.min(48, 4 + rows * 1.3)) + "rem";
    }
  }

  function drawChart(canvas) {
    var id = canvas.id.replace(/^chart-/, "");
    var spec;
    try { spec = JSON.parse(canvas.getAttribute("data-chart")); } catch (e) { return; }
    sizeBox(id, spec);
    try { charts[id] = new window.Chart(canvas, configOf(spec)); } catch (e) { /* the table still shows it */ }
  }

  function updateChart(id, spec) {
    var chart = charts[id];
    if (!chart || !spec) { return; }
    sizeBox(id, spec);
    var fresh = datasetsOf(spec);
    chart.data.labels = spec.labels.slice();
    if (chart.data.datasets.length !== fresh.length) {
      chart.data.datasets = fresh;
    } else {
      fresh.forEach(function (set, index) {  // in place, so the bars grow instead of being redrawn
        var current = chart.data.datasets[index];
        current.label = set.label;
        current.data = set.data;
        current.backgroundColor = set.backgroundColor;
      });
    }
    chart.update();
  }

  function drawCharts() {
    if (!window.Chart) { return; }
    window.Chart.defaults.font.size = 14;
    window.Chart.defaults.color = "#1c2430";
    Array.prototype.forEach.call(root.querySelectorAll("canvas[data-chart]"), drawChart);
  }

  // -- tables (the same markup as templates/dashboard/_figures.html) ----------------------------------------

  function cellNode(cell, column, first) {
    if (first) {
      var th = el("th", null, cell.text);
      th.setAttribute("scope", "row");
      if (cell.meta) { th.appendChild(el("span", "meta", cell.meta)); }
      return th;
    }
    var td = el("td", column && column.num ? "num" : null);
    if (column) { td.setAttribute("data-label", column.label); }
    if (cell.meter !== undefined && cell.meter !== null) {
      var meter = el("meter");
      meter.min = 0; meter.max = 100; meter.low = 70; meter.high = 95; meter.optimum = 50;
      meter.value = cell.meter;
      meter.setAttribute("aria-hidden", "true");
      td.appendChild(meter);
      td.appendChild(document.createTextNode(" "));
    }
    td.appendChild(document.createTextNode(cell.text));
    return td;
  }

  function rowNode(cells, columns, key) {
    var tr = el("tr");
    if (key !== undefined) { tr.setAttribute("data-key", key); }
    cells.forEach(function (cell, index) { tr.appendChild(cellNode(cell, columns[index], index === 0)); });
    return tr;
  }

  function updateTable(id, table) {
    var node = byId("table-" + id);
    if (!node || !table) { return; }
    var figure = byId("figure-" + id);
    if (figure) { figure.toggleAttribute("data-empty", !!table.empty); }
    var json = JSON.stringify(table);
    if (shownTables[id] === json) { return; }
    shownTables[id] = json;
    var body = node.tBodies[0];
    empty(body);
    table.rows.forEach(function (row) { body.appendChild(rowNode(row.cells, table.columns, row.key)); });
    var foot = node.tFoot;
    if (foot) {
      empty(foot);
      if (table.foot) { foot.appendChild(rowNode(table.foot, table.columns)); }
      foot.hidden = !table.foot;
    }
  }

  // -- one refresh -----------------------------------------------------------------------------------------

  function apply(payload) {
    var labels = payload.labels;
    labels.counters.forEach(function (counter) {
      setText("stat-" + counter.id, counter.text, true);
      var note = byId("stat-" + counter.id + "-note");
      if (note) {
        if (note.textContent !== (counter.note || "")) { note.textContent = counter.note || ""; }
        note.hidden = !counter.note;
      }
    });
    Object.keys(labels.facts).forEach(function (key) { setText("stat-" + key, labels.facts[key], false); });
    Object.keys(labels.tables).forEach(function (id) { updateTable(id, labels.tables[id]); });
    Object.keys(labels.charts).forEach(function (id) { updateChart(id, labels.charts[id]); });
    var updated = byId("stat-updated-at");
    if (updated) {
      updated.textContent = labels.updated_at;
      updated.setAttribute("datetime", labels.updated_at_iso);
    }
  }

  function schedule(delay) {
    window.clearTimeout(timer);
    if (!stopped) { timer = window.setTimeout(refresh, delay === undefined ? seconds * 1000 : delay); }
  }

  function refresh() {
    if (stopped || busy) { return; }
    if (document.hidden) { return; }  // resumes when the tab is shown again
    busy = true;
    window.fetch(data.statsUrl, { credentials: "same-origin", cache: "no-store",
                                  headers: { "Accept": "application/json" } })
      .then(function (response) {
        var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
        if (response.redirected || response.status === 401 || response.status === 403 || (response.ok && !json)) {
          stopped = true;  // logged out or no longer an organizer: polling again will not help
          showProblem(data.msgSession);
          return null;
        }
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (payload) {
        if (payload) {
          apply(payload);
          showProblem(null);
        }
      })
      .catch(function () { showProblem(data.msgOffline); })
      .then(function () {
        busy = false;
        schedule();
      });
  }

  document.addEventListener("visibilitychange", function () {
    if (!document.hidden && !stopped) { schedule(0); }  // back on screen: fresh figures at once
  });

  // -- full screen, for the projector ----------------------------------------------------------------------

  var fullscreen = byId("dashboard-fullscreen");
  if (fullscreen && document.fullscreenEnabled) {
    fullscreen.hidden = false;
    fullscreen.setAttribute("aria-pressed", "false");
    fullscreen.addEventListener("click", function () {
      if (document.fullscreenElement) {
        document.exitFullscreen();
      } else {
        document.documentElement.requestFullscreen().catch(function () { /* refused: nothing to do */ });
      }
    });
    document.addEventListener("fullscreenchange", function () {
      fullscreen.setAttribute("aria-pressed", document.fullscreenElement ? "true" : "false");
    });
  }

  drawCharts();
  root.setAttribute("data-live", "true");  // tests (and curious readers) can tell the script is running
  schedule();
})();
