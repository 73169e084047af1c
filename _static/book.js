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
