// The main menu's groups are <details> elements: they open with a click, Enter or Space on their
// own. This closes an open group when the user clicks elsewhere or presses Escape (focus goes
// back to the group's summary, so keyboard users keep their place).
document.addEventListener("click", (event) => {
  document.querySelectorAll("details.menu-group[open]").forEach((group) => {
    if (!group.contains(event.target)) group.removeAttribute("open");
  });
});
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  const group = document.activeElement && document.activeElement.closest("details.menu-group[open]");
  if (group) {
    group.removeAttribute("open");
    group.querySelector("summary").focus();
  }
});
