// Small behaviours shared by every page. No inline scripts: the CSP allows only files
// served from our own origin.
document.addEventListener("input", (event) => {
  const input = event.target.closest("[data-filter-table]");
  if (!input) return;
  const needle = input.value.toLowerCase();
  document.querySelectorAll(`${input.dataset.filterTable} tbody tr`).forEach((row) => {
    row.hidden = !row.textContent.toLowerCase().includes(needle);
  });
});

document.addEventListener("change", (event) => {
  const field = event.target.closest("[data-autosubmit]");
  if (field && field.form) field.form.submit();
});
