import { describe, expect, it } from 'vitest';
import {
  PLACEHOLDER_NAMES,
  parseProfileForm,
  placeholderValues,
  profileChanges,
  profileToForm,
} from '../../../src/domain/org-profile.js';

const validForm = {
  name: 'Kestrel Works Ltd',
  shortName: 'Kestrel',
  brandColour: '#1D3557',
  commsName: 'Communications team',
  commsChannel: 'comms@kestrelworks.example',
  hrName: 'People team',
  hrChannel: '#people-questions',
  securityName: 'Security team',
  securityChannel: 'security@kestrelworks.example',
  privacyName: 'Data protection officer',
  privacyChannel: 'privacy@kestrelworks.example',
  whistleblowingName: 'Speak-up line',
  whistleblowingChannel: 'https://speakup.kestrelworks.example',
  clientListUrl: 'https://intranet.kestrelworks.example/approved-references',
  regions: ['uk', 'us'],
};

describe('organisation profile form', () => {
  it('reads a valid form', () => {
    const out = parseProfileForm(validForm);
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(out.values.brandColour).toBe('#1d3557');
    expect(out.values.regions).toEqual(['us', 'uk']);
    expect(profileToForm(out.values).hrChannel).toBe('#people-questions');
  });

  it('puts each problem next to its field', () => {
    const out = parseProfileForm({
      ...validForm,
      name: '  ',
      brandColour: '#ffcc00',
      hrChannel: 'call Bob',
      clientListUrl: 'javascript:alert(1)',
      regions: 'mars',
    });
    expect(out.ok).toBe(false);
    if (out.ok) return;
    expect(out.errors.map((e) => e.field).sort()).toEqual(
      ['brandColour', 'clientListUrl', 'hrChannel', 'name', 'regions'].sort(),
    );
    expect(out.errors.find((e) => e.field === 'brandColour')?.message).toBe('admin.org.errors.contrast');
  });

  it('maps every placeholder name to a value', () => {
    const out = parseProfileForm(validForm);
    if (!out.ok) throw new Error('valid form refused');
    const values = placeholderValues(out.values);
    expect(values.get('org.name')).toBe('Kestrel Works Ltd');
    expect(values.get('contact.comms')).toBe('comms@kestrelworks.example');
    expect(values.get('contact.hr.name')).toBe('People team');
    expect(values.get('org.regions')).toBe('United States, United Kingdom');
    expect([...values.keys()].sort()).toEqual([...PLACEHOLDER_NAMES].sort());
  });

  it('lists what changed, with the logo by its hash', () => {
    const out = parseProfileForm(validForm);
    if (!out.ok) throw new Error('valid form refused');
    const before = { ...out.values, logo: null };
    const after = {
      ...out.values,
      name: 'Kestrel plc',
      logo: { contentType: 'image/svg+xml' as const, sha256: 'ab12', bytes: 10 },
    };
    expect(profileChanges(before, after)).toEqual({
      name: { from: 'Kestrel Works Ltd', to: 'Kestrel plc' },
      logoSha256: { from: null, to: 'ab12' },
      logoType: { from: null, to: 'image/svg+xml' },
    });
  });
});
