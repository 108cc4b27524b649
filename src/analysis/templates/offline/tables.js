/* Kielce Smart City Benchmarks: sorting and filtering of long tables, and sections opened for print.
   Shipped inside every page (nothing is fetched); it reads only the page's own tables. Without it the
   page is complete: tables are in their published order and folded sections open on a click. */
(function () {
  "use strict";
  var collator = new Intl.Collator(document.documentElement.lang || undefined, { numeric: true, sensitivity: "base" });

  function cellKey(row, index) {
    var cell = row.cells[index];
    if (!cell) return { number: null, text: "" };
    var sort = cell.getAttribute("data-sort");
    return { number: sort === null ? null : Number(sort), text: cell.textContent.trim() };
  }

  function compare(a, b) {
    if (a.number !== null && b.number !== null) return a.number - b.number;
    if (a.number !== null) return -1; /* numbers before "no data" */
    if (b.number !== null) return 1;
    return collator.compare(a.text, b.text);
  }

  function sortBy(table, header) {
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var index = headers.indexOf(header);
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    headers.forEach(function (th) { th.setAttribute("aria-sort", "none"); });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows).map(function (row, position) {
      return { row: row, key: cellKey(row, index), position: position };
    });
    rows.sort(function (a, b) {
      var order = compare(a.key, b.key);
      if (!ascending) order = -order;
      return order || a.position - b.position;
    });
    rows.forEach(function (item) { body.appendChild(item.row); });
  }

  function filter(table, input, count) {
    var words = input.value.trim().toLocaleLowerCase();
    var shown = 0;
    var rows = table.tBodies[0].rows;
    for (var i = 0; i < rows.length; i++) {
      var match = !words || rows[i].textContent.toLocaleLowerCase().indexOf(words) !== -1;
      rows[i].hidden = !match;
      if (match) shown++;
    }
    count.textContent = words ? shown + " / " + rows.length : "";
  }

  function setUp(table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
      var button = th.querySelector("button.sort-button");
      if (button) button.addEventListener("click", function () { sortBy(table, th); });
    });
    var block = table.closest(".table-block");
    var tools = block && block.querySelector(".table-tools");
    if (tools) {
      var input = tools.querySelector("input.table-filter");
      var count = tools.querySelector(".table-count");
      input.addEventListener("input", function () { filter(table, input, count); });
      tools.hidden = false;
    }
  }

  function openForPrint() {
    Array.prototype.forEach.call(document.querySelectorAll("details.fold:not([open]), details.in-brief-more:not([open]), details.in-brief-numbers:not([open])"), function (details) {
      details.setAttribute("open", "");
      details.setAttribute("data-opened-for-print", "");
    });
  }

  function closeAfterPrint() {
    Array.prototype.forEach.call(document.querySelectorAll("details[data-opened-for-print]"), function (details) {
      details.removeAttribute("open");
      details.removeAttribute("data-opened-for-print");
    });
  }

  function start() {
    /* Where the contents do not sit beside the report (under 1400 px: a phone, a laptop) they are folded: the first
       screen is the report's beginning. */
    if (window.matchMedia && window.matchMedia("(max-width: 1399px)").matches) {
      Array.prototype.forEach.call(document.querySelectorAll("details.toc-fold"), function (d) { d.open = false; });
    }
    Array.prototype.forEach.call(document.querySelectorAll("table.report-table[data-sortable]"), setUp);
    window.addEventListener("beforeprint", openForPrint);
    window.addEventListener("afterprint", closeAfterPrint);
    /* A link to a section inside a folded part opens it. */
    function openTarget() {
      var target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
      var details = target && target.closest("details.fold");
      if (details) { details.open = true; target.scrollIntoView(); }
    }
    window.addEventListener("hashchange", openTarget);
    openTarget();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
