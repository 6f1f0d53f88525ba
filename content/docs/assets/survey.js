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
  accessDates(root);
  copyButtons(root);
  printableCitations(root);
}

// A citation of the survey is dated the day the reader reads it: the build's day until this runs.
function accessDates(root) {
  const today = new Date();
  const iso = [today.getFullYear(), today.getMonth() + 1, today.getDate()]
    .map((n, i) => String(n).padStart(i ? 2 : 4, "0"))
    .join("-");
  const shown = new Intl.DateTimeFormat("en-US", { month: "long", day: "numeric", year: "numeric" }).format(today);
  root.querySelectorAll("time.mi-accessed").forEach((time) => {
    time.dateTime = iso;
    time.textContent = shown;
  });
}

// "Copy" puts a citation's text on the clipboard, or selects it where the clipboard is refused.
function copyButtons(root) {
  root.querySelectorAll("button.mi-copy").forEach((button) => {
    if (button.dataset.bound) return;
    button.dataset.bound = "1";
    button.addEventListener("click", () => {
      const text = document.getElementById(button.dataset.copy);
      if (!text) return;
      const done = () => {
        button.textContent = "Copied";
        setTimeout(() => (button.textContent = "Copy"), 2000);
      };
      const select = () => {
        const range = document.createRange();
        range.selectNodeContents(text);
        const selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text.innerText.trim()).then(done, select);
      } else {
        select();
      }
    });
  });
}

// On paper a citation cannot open its card: beside each label goes a copy, hidden on screen, whose
// parts link to the works' bibliography entries (on the print page, within the same document).
function printableCitations(root) {
  root.querySelectorAll(".mi-cite").forEach((cite) => {
    if (cite.querySelector(".mi-cite__print")) return;
    const label = cite.querySelector(".mi-cite__label");
    const entries = [...cite.querySelectorAll(".mi-card__ref")].map((ref) => ref.querySelector(".mi-card__links a"));
    if (!label || !entries.length) return;
    const parts = label.textContent.split("; ");
    const printed = document.createElement("span");
    printed.className = "mi-cite__print";
    printed.append("(");
    parts.forEach((part, i) => {
      const entry = entries[parts.length === entries.length ? i : 0];
      const link = document.createElement("a");
      link.href = entry.getAttribute("href");
      link.textContent = part;
      if (i) printed.append("; ");
      printed.append(link);
    });
    printed.append(")");
    cite.append(printed);
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
