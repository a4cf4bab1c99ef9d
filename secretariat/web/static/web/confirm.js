// Confirmation before destructive or irreversible actions, for every page: a form (or one of its
// buttons) carrying data-confirm="question" asks the question and is sent only if the user agrees.
document.addEventListener("submit", (event) => {
  const button = event.submitter;
  const question = (button && button.dataset.confirm) || event.target.dataset.confirm;
  if (question && !window.confirm(question)) event.preventDefault();
});
