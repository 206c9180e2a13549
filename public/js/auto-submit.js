// Re-posts a form marked data-auto-submit as soon as the page loads (the SAML answer's same-site
// hop, routes/auth/saml.ts). Without JavaScript the form's own button does the same.
const form = document.querySelector('form[data-auto-submit]');
if (form instanceof HTMLFormElement) form.submit();
