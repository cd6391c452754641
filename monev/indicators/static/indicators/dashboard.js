// Dashboard behaviours (no inline scripts under the CSP): filter the ranking table and
// keep the export links in step with what is shown, so CSV/XLSX hold exactly those rows.
(function () {
  function setParam(href, key, value) {
    const url = new URL(href, window.location.origin);
    if (value) url.searchParams.set(key, value); else url.searchParams.delete(key);
    return url.pathname + url.search;
  }
  document.addEventListener("input", (event) => {
    const input = event.target.closest("[data-rank-filter]");
    if (!input) return;
    const needle = input.value.trim().toLowerCase();
    document.querySelectorAll(`${input.dataset.rankFilter} tbody tr`).forEach((row) => {
      row.hidden = needle !== "" && !row.dataset.search.includes(needle);
    });
    document.querySelectorAll("a[data-export]").forEach((link) => {
      link.setAttribute("href", setParam(link.getAttribute("href"), "q", input.value.trim()));
    });
  });
  // After HTMX swaps the map, remember the chosen indicator in the address bar and links.
  document.addEventListener("change", (event) => {
    const select = event.target.closest("#pilih-peta");
    if (!select) return;
    const url = setParam(window.location.pathname + window.location.search, "peta", select.value);
    window.history.replaceState(null, "", url);
    const hidden = document.getElementById("peta-aktif");
    if (hidden) hidden.value = select.value;
  });
})();
