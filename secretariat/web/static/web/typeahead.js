// Turn every <select data-typeahead> into a searchable picker (tom-select); the first option
// (the empty choice) stays selectable so a filter can be cleared.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("select[data-typeahead]").forEach((select) => {
    // eslint-disable-next-line no-undef
    new TomSelect(select, { maxOptions: 100, allowEmptyOption: true });
  });
});
