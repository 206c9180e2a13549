// The person picker (views/hr/assignments/person-picker.eta), enhanced. Without this file the Search
// button posts the form and the page comes back, as filled, with the matches listed. With it, matches
// appear as you type, from GET /hr/people/search (JSON). People ticked among the matches move to the
// picked list when the next search replaces the matches, so a pick is never lost (and focus is never
// pulled from under a keyboard user by moving the item they just ticked).
// Names and e-mails are set with textContent, never parsed as HTML.
document.addEventListener('DOMContentLoaded', () => {
  for (const root of document.querySelectorAll('[data-person-picker]')) enhance(root);
});

const DEBOUNCE_MS = 250;

/**
 * The same words the server writes (src/routes/hr/assignments/page.ts searchStatus), in the page's
 * language: the page renders every status this can show into the status line's data-status-* attributes.
 */
function statusText(words, query, found, more) {
  if (!found) return words.statusNobody.replace('{query}', () => query);
  if (more) return words.statusMore;
  const counts = JSON.parse(words.statusFound);
  return counts[Math.min(found, counts.length) - 1];
}

function enhance(root) {
  const { kind, name, id } = root.dataset;
  const group = kind === 'radio' ? 'radios' : 'checkboxes';
  const box = document.getElementById(id);
  const button = root.querySelector('[data-picker-search]');
  const picked = root.querySelector('[data-picker-picked]');
  const found = root.querySelector('[data-picker-found]');
  const status = root.querySelector('[data-picker-status]');
  let serial = 0;
  let latest = 0;
  let timer = null;
  // After a failed request the Search button submits the form as it would without a script.
  let failed = false;

  function item(person) {
    serial += 1;
    const itemId = `${id}-live-${serial}`;
    const div = document.createElement('div');
    div.className = `${group}-item`;
    const input = document.createElement('input');
    input.className = `${group}-input`;
    input.id = itemId;
    input.name = name;
    input.type = kind;
    input.value = person.email;
    const label = document.createElement('label');
    label.className = `${group}-label`;
    label.htmlFor = itemId;
    label.textContent = person.name;
    div.append(input, label);
    const detail = [person.email, person.department, person.employeeId].filter(Boolean).join(' · ');
    if (detail) {
      const hint = document.createElement('p');
      hint.className = `hint ${group}-hint`;
      hint.id = `${itemId}-item-hint`;
      hint.textContent = detail;
      input.setAttribute('aria-describedby', hint.id);
      div.append(hint);
    }
    return div;
  }

  /** Ticked matches join the picked list; a radio picker keeps only the person now chosen. */
  function keepPicks() {
    const chosen = [...found.querySelectorAll('input:checked')].map((input) =>
      input.closest(`.${group}-item`),
    );
    if (kind === 'radio' && chosen.length) {
      for (const input of picked.querySelectorAll('input:not(:checked)'))
        input.closest(`.${group}-item`).remove();
    }
    picked.append(...chosen);
  }

  async function search() {
    const query = box.value.trim();
    latest += 1;
    const ticket = latest;
    keepPicks();
    if (!query) {
      found.replaceChildren();
      status.textContent = '';
      return;
    }
    let answer;
    try {
      const res = await fetch(`/hr/people/search?q=${encodeURIComponent(query)}`, {
        headers: { accept: 'application/json' },
        credentials: 'same-origin',
      });
      if (!res.ok) throw new Error(String(res.status));
      answer = await res.json();
    } catch {
      if (ticket !== latest) return;
      failed = true;
      status.textContent = status.dataset.statusFailed;
      return;
    }
    // An older answer arriving after a newer search is dropped.
    if (ticket !== latest) return;
    failed = false;
    keepPicks();
    const already = new Set([...picked.querySelectorAll('input')].map((input) => input.value));
    found.replaceChildren(...answer.people.filter((p) => !already.has(p.email)).map(item));
    status.textContent = statusText(status.dataset, query, answer.people.length, answer.more);
  }

  box.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(search, DEBOUNCE_MS);
  });
  // Enter in the search box searches here instead of submitting the whole form.
  box.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    clearTimeout(timer);
    search();
  });
  button.addEventListener('click', (event) => {
    if (failed) return;
    event.preventDefault();
    // Enter in another field of the form "clicks" its first submit button, which is this one: the
    // person meant the form's own submit button (the last one), so submit with that instead.
    const implicit = event.detail === 0 && document.activeElement !== button;
    if (implicit && document.activeElement !== box) {
      const submits = button.form.querySelectorAll('button[type="submit"]:not([data-picker-search])');
      if (submits.length) button.form.requestSubmit(submits[submits.length - 1]);
      return;
    }
    clearTimeout(timer);
    search();
  });
}
