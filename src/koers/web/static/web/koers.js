// Koers front-end behaviour lives here (no inline scripts: the CSP forbids them).
document.addEventListener("htmx:configRequest", (event) => {
  const token = document.querySelector("input[name=csrfmiddlewaretoken]");
  if (token) event.detail.headers["X-CSRFToken"] = token.value;
});

// A table wider than the screen scrolls inside its wrapper: make such a wrapper reachable
// and scrollable with the keyboard (tab to it, then the arrow keys), named after the
// table's caption for screen readers. Wrappers that fit get nothing, so the tab order
// stays short; the check runs again when the window, a wrapper or its table changes size.
function markScrollRegions(root) {
  for (const wrap of root.querySelectorAll(".koers-table-wrap")) {
    // As axe-core judges a region scrollable: wider than its box by even one pixel.
    if (wrap.scrollWidth > wrap.clientWidth) {
      wrap.setAttribute("tabindex", "0");
      wrap.setAttribute("role", "region");
      // Its name: the table's caption, else the heading the table is labelled by, else
      // the heading of the section it is in.
      const caption = wrap.querySelector("caption");
      const table = wrap.querySelector("table[aria-labelledby]");
      const labelled = table && document.getElementById(table.getAttribute("aria-labelledby"));
      const section = wrap.closest("section[aria-labelledby]");
      const heading = section && document.getElementById(section.getAttribute("aria-labelledby"));
      const name = caption || labelled || heading;
      if (name && !wrap.hasAttribute("aria-label")) {
        wrap.setAttribute("aria-label", name.textContent.trim());
      }
    } else if (wrap.getAttribute("tabindex") === "0") {
      wrap.removeAttribute("tabindex");
      wrap.removeAttribute("role");
    }
  }
}
// A table also grows after the page loaded: when its web font arrives (the text set in
// the fallback font was narrower) or a part of the page is swapped in. A ResizeObserver
// on each wrapper and its table sees every such change.
const scrollRegionWatch = typeof ResizeObserver === "function"
  ? new ResizeObserver(() => markScrollRegions(document)) : null;
function watchScrollRegions(root) {
  markScrollRegions(root);
  if (!scrollRegionWatch) return;
  for (const wrap of root.querySelectorAll(".koers-table-wrap")) {
    scrollRegionWatch.observe(wrap);
    if (wrap.firstElementChild) scrollRegionWatch.observe(wrap.firstElementChild);
  }
}
document.addEventListener("DOMContentLoaded", () => watchScrollRegions(document));
window.addEventListener("resize", () => markScrollRegions(document));
document.addEventListener("htmx:afterSettle", (event) => watchScrollRegions(event.target));
if (document.fonts) document.fonts.ready.then(() => markScrollRegions(document));

// The main menu folds behind the "Menu" button on a narrow screen (koers.css shows the
// button below 40rem only). The button stays hidden until this script runs, so without
// script the menu is simply open. Escape folds it again and returns to the button.
function setUpMenuButton() {
  const button = document.querySelector(".koers-menu-button");
  const panel = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!button || !panel) return;
  button.hidden = false;
  button.addEventListener("click", () => {
    const open = button.getAttribute("aria-expanded") === "true";
    button.setAttribute("aria-expanded", String(!open));
  });
  panel.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true"
        && getComputedStyle(button).display !== "none") {
      button.setAttribute("aria-expanded", "false");
      button.focus();
    }
  });
}
document.addEventListener("DOMContentLoaded", setUpMenuButton);
