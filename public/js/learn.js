// Progressive enhancement for learner pages. Without this script every form still works as a
// plain post; with it, an example post's verdict is revealed in place without a page load.
(() => {
  async function classify(form, event) {
    const data = new URLSearchParams(new FormData(form));
    if (!data.get('answer')) return; // let the server answer with its form error
    event.preventDefault();
    const target = form.closest('[data-reveal-target]');
    const errorBox = form.querySelector('.js-error');
    const button = form.querySelector('button[type="submit"]');
    if (button) button.disabled = true;
    try {
      const res = await fetch(form.action, {
        method: 'POST',
        headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
        body: data.toString(),
        credentials: 'same-origin',
      });
      const body = await res.json().catch(() => null);
      if (!res.ok || !body || typeof body.html !== 'string') {
        throw new Error(body?.message || 'Your answer could not be checked. Please try again.');
      }
      // The fragment is rendered and escaped by the server's own template.
      target.innerHTML = body.html;
      const heading = target.querySelector('#reveal-heading');
      if (heading) heading.focus();
    } catch (err) {
      if (errorBox) {
        errorBox.textContent = err instanceof Error ? err.message : String(err);
        errorBox.hidden = false;
      }
      if (button) button.disabled = false;
    }
  }

  document.addEventListener('submit', (event) => {
    const form = event.target;
    if (form instanceof HTMLFormElement && form.dataset.enhance === 'classify') classify(form, event);
  });
})();
