"""The stylesheet and script inlined into the HTML report.

The page loads nothing: its Content-Security-Policy forbids every network
request, so an opened report never contacts any host.
"""

from __future__ import annotations

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; "
    "script-src 'unsafe-inline'; img-src data:"
)

STYLE = """
:root { --ok: #2e7d32; --warning: #ef8f00; --critical: #c62828;
  --unknown: #6d6d6d; --line: #d8dce0; --soft: #f4f6f8; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif;
  margin: 0 auto; max-width: 1280px; padding: 20px 28px; color: #1d2329; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 28px 0 10px; }
h3 { font-size: 14px; margin: 14px 0 4px; }
.meta { color: #56606a; margin: 0; }
.badge { display: inline-block; padding: 1px 10px; border-radius: 10px;
  color: #fff; font-size: 15px; vertical-align: middle; }
.badge.ok, .sev.ok { background: var(--ok); }
.badge.warning, .sev.warning { background: var(--warning); }
.badge.critical, .sev.critical { background: var(--critical); }
.badge.unknown, .sev.unknown { background: var(--unknown); }
.cards { display: grid; gap: 10px; margin: 18px 0;
  grid-template-columns: repeat(auto-fit, minmax(120px, 1fr)); }
.card { background: var(--soft); border-radius: 8px; padding: 10px 14px; }
.card b { display: block; font-size: 24px; }
.card.warning b { color: var(--warning); }
.card.critical b { color: var(--critical); }
.card.unknown b { color: var(--unknown); }
.charts { display: grid; gap: 16px;
  grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); }
figure { margin: 0; background: var(--soft); border-radius: 8px; padding: 10px; }
figcaption { font-weight: 600; margin-bottom: 6px; }
svg.chart { width: 100%; height: auto; display: block; }
svg .bar.ok { fill: var(--ok); }
svg .bar.warning { fill: var(--warning); }
svg .bar.critical { fill: var(--critical); }
svg .bar.unknown { fill: var(--unknown); }
svg .axis { stroke: #9aa3ab; }
svg text { font-size: 11px; fill: #3b444c; }
.controls { display: flex; gap: 16px; align-items: center; margin-bottom: 8px; }
.controls input[type=search] { padding: 5px 8px; width: 280px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line);
  vertical-align: top; }
th { background: var(--soft); cursor: pointer; user-select: none; white-space: nowrap; }
th[aria-sort=ascending]::after { content: " \\25B2"; }
th[aria-sort=descending]::after { content: " \\25BC"; }
td.name { white-space: nowrap; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.sev { color: #fff; border-radius: 4px; padding: 0 6px; font-size: 12px; }
tr[hidden] { display: none; }
ul.changes { margin: 0 0 8px; padding-left: 20px; }
footer { color: #7b858e; margin-top: 28px; font-size: 12px; }
"""

SCRIPT = """
(function () {
  "use strict";
  var errors = [];
  window.addEventListener("error", function (event) {
    errors.push(String(event.message));
    document.body.setAttribute("data-errors", errors.join("\\n"));
  });

  function sortValue(row, index, type) {
    var cell = row.cells[index];
    var raw = cell.getAttribute("data-value");
    var text = raw !== null ? raw : cell.textContent.trim();
    if (type === "number") {
      var number = parseFloat(text);
      return isNaN(number) ? -Infinity : number;
    }
    return text.toLowerCase();
  }

  function sortBy(table, header, index) {
    var body = table.tBodies[0];
    var type = header.getAttribute("data-type") || "text";
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = sortValue(a, index, type);
      var y = sortValue(b, index, type);
      if (x === y) { return 0; }
      return (x < y) === ascending ? -1 : 1;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    Array.prototype.forEach.call(header.parentNode.cells, function (cell) {
      cell.removeAttribute("aria-sort");
    });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }

  Array.prototype.forEach.call(
    document.querySelectorAll("table.sortable"),
    function (table) {
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (header, index) {
        header.tabIndex = 0;
        header.addEventListener("click", function () { sortBy(table, header, index); });
        header.addEventListener("keydown", function (event) {
          if (event.key === "Enter" || event.key === " ") {
            event.preventDefault();
            sortBy(table, header, index);
          }
        });
      });
    }
  );

  var filter = document.getElementById("filter");
  var showOk = document.getElementById("show-ok");
  var shownCount = document.getElementById("shown-count");
  var findingRows = Array.prototype.slice.call(
    document.querySelectorAll("#findings-table tbody tr")
  );

  function applyFilter() {
    var query = filter.value.trim().toLowerCase();
    var shown = 0;
    findingRows.forEach(function (row) {
      var visible = (showOk.checked || row.getAttribute("data-severity") !== "ok") &&
        (query === "" || row.textContent.toLowerCase().indexOf(query) !== -1);
      row.hidden = !visible;
      if (visible) { shown += 1; }
    });
    shownCount.textContent = shown + " of " + findingRows.length + " findings shown";
  }

  filter.addEventListener("input", applyFilter);
  showOk.addEventListener("change", applyFilter);
  applyFilter();
  document.body.setAttribute("data-script", "ready");
})();
"""
