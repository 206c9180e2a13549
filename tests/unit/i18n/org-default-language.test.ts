import { describe, expect, it } from 'vitest';
import { parseProfileForm, profileChanges, profileToForm } from '../../../src/domain/org-profile.js';

const form = {
  name: 'Example Ltd',
  shortName: 'Example',
  brandColour: '#1d3557',
  ...Object.fromEntries(
    ['comms', 'hr', 'security', 'privacy', 'whistleblowing'].flatMap((k) => [
      [`${k}Name`, `${k} team`],
      [`${k}Channel`, `${k}@example.com`],
    ]),
  ),
  clientListUrl: 'https://intranet.example.com/clients',
  regions: ['uk'],
};

describe('the organisation’s default language (admin profile form)', () => {
  it('is a shipped language or not set, kept through the form and audited as a change', () => {
    const german = parseProfileForm({ ...form, defaultLanguage: 'de' });
    expect(german.ok && german.values.defaultLanguage).toBe('de');
    const none = parseProfileForm(form);
    expect(none.ok && none.values.defaultLanguage).toBe('');
    if (!german.ok || !none.ok) return;
    expect(profileToForm(german.values).defaultLanguage).toBe('de');
    const changes = profileChanges({ ...none.values, logo: null }, { ...german.values, logo: null });
    expect(changes.defaultLanguage).toEqual({ from: '', to: 'de' });
  });

  it('refuses a language the product does not ship, next to the field', () => {
    expect(parseProfileForm({ ...form, defaultLanguage: 'fr' })).toEqual({
      ok: false,
      errors: [{ field: 'defaultLanguage', message: 'account.language.invalid' }],
    });
  });
});
