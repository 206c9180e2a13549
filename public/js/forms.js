// Moves focus to a form's error summary so screen readers announce it on page load.
document.addEventListener('DOMContentLoaded', () => {
  const summary = document.getElementById('error-summary');
  if (summary) summary.focus();
});
