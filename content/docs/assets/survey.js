// Progressive enhancement only: every page reads fine without this script.

function enhance(root) {
  // The theme's search dialog has no accessible name of its own.
  const search = document.querySelector(".md-search[role=dialog]");
  if (search && !search.hasAttribute("aria-label")) search.setAttribute("aria-label", "Search");

  // Sortable comparison tables (tablesort is served from assets/vendor).
  if (window.Tablesort) {
    root.querySelectorAll("table.mi-sortable").forEach((table) => {
      if (!table.dataset.sortable) {
        table.dataset.sortable = "1";
        new Tablesort(table);
      }
    });
  }
  // Citation cards open on hover and keyboard focus through CSS; a tap or click toggles them.
  root.querySelectorAll(".mi-cite__label").forEach((button) => {
    if (button.dataset.bound) return;
    button.dataset.bound = "1";
    button.addEventListener("click", (event) => {
      event.stopPropagation();
      const open = button.getAttribute("aria-expanded") !== "true";
      closeCards();
      button.setAttribute("aria-expanded", String(open));
    });
    // The label is a span with the button role (see cite.html): Enter and Space press it.
    button.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        button.click();
      }
    });
  });
}

function closeCards() {
  document.querySelectorAll('.mi-cite__label[aria-expanded="true"]').forEach((b) => b.setAttribute("aria-expanded", "false"));
}

document.addEventListener("click", (event) => {
  if (!event.target.closest(".mi-card")) closeCards();
});
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape") closeCards();
});

if (window.document$) {
  window.document$.subscribe(() => enhance(document));
} else {
  document.addEventListener("DOMContentLoaded", () => enhance(document));
}
