// Progressive enhancement for forms; every form works without this file.
// 1. Moves focus to a form's error summary so screen readers announce it on page load.
// 2. Conditional reveals (views/partials/form/choices.eta): CSS already shows a panel while its radio
//    or checkbox is checked. Here each control gets aria-controls (only when the script runs, as in
//    GOV.UK Frontend), the panel's `hidden` attribute follows the control, and a checkbox's
//    aria-expanded says whether its panel is open (ARIA allows aria-expanded on a checkbox, not on a
//    radio, so radios carry aria-controls only).
document.addEventListener('DOMContentLoaded', () => {
  const summary = document.getElementById('error-summary');
  if (summary) summary.focus();

  const controls = [...document.querySelectorAll('input[data-aria-controls]')].filter((input) =>
    document.getElementById(input.getAttribute('data-aria-controls')),
  );
  if (!controls.length) return;
  const sync = () => {
    for (const input of controls) {
      document.getElementById(input.getAttribute('data-aria-controls')).hidden = !input.checked;
      if (input.type === 'checkbox') input.setAttribute('aria-expanded', String(input.checked));
    }
  };
  for (const input of controls) input.setAttribute('aria-controls', input.getAttribute('data-aria-controls'));
  // Checking a radio unchecks its siblings without a change event on them, so any change re-syncs all.
  document.addEventListener('change', (event) => {
    const target = event.target;
    if (target instanceof HTMLInputElement && (target.type === 'radio' || target.type === 'checkbox')) sync();
  });
  sync();
});
