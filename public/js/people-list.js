// People list (progressive enhancement): a change of filter applies it at once, as the hint above
// the filters says. Without JavaScript the Apply button does the same.
document.addEventListener('change', (event) => {
  const field = event.target;
  if (!(field instanceof HTMLSelectElement)) return;
  const form = field.closest('form[data-autosubmit]');
  if (form) form.requestSubmit();
});
