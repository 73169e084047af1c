// sphinx-book-theme 1.3 and pydata-sphinx-theme 0.17 each bind only the FIRST .primary-toggle and
// .secondary-toggle of a page, which sit in pydata's header bar; the buttons a reader sees above
// the article are later copies and would do nothing. Forward their clicks to the bound ones.
document.addEventListener("DOMContentLoaded", () => {
  for (const selector of [".primary-toggle", ".secondary-toggle"]) {
    const [bound, ...copies] = document.querySelectorAll(selector);
    for (const copy of copies) {
      copy.addEventListener("click", (event) => {
        event.preventDefault();
        bound.click();
      });
    }
  }
});

// A code block the browser skipped while it was far from the screen (content-visibility: auto,
// see book.css) has no measurable overflow when the theme decides, on load, which blocks scroll
// sideways and so need to be reachable by keyboard. Decide again for each block once it is drawn.
document.addEventListener("DOMContentLoaded", () => {
  for (const block of document.querySelectorAll(".highlight > pre[style*='--lines']")) {
    block.addEventListener("contentvisibilityautostatechange", (event) => {
      if (!event.skipped) {
        block.tabIndex = block.scrollWidth > block.clientWidth ? 0 : -1;
      }
    });
  }
});
