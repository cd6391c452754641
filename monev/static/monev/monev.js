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

// The menu folds behind one button on a phone (see the @media rules in monev.css).
document.addEventListener("click", (event) => {
  const toggle = event.target.closest("#menu-toggle");
  if (!toggle) return;
  const bar = toggle.closest(".topbar");
  const open = bar.classList.toggle("open");
  toggle.setAttribute("aria-expanded", open ? "true" : "false");
});
