import { describe, expect, it } from 'vitest';
import { DEFAULT_PROFILE, PLACEHOLDER_NAMES, placeholderValues } from '../../../src/domain/org-profile.js';

// `{{org.tag}}` builds the organisation's hashtags, handles and repository owners in course examples
// (#{{org.tag}}Life, @{{org.tag}}): the name without spaces or punctuation.
const tagOf = (name: string) => placeholderValues({ ...DEFAULT_PROFILE, name }).get('org.tag');

describe('org.tag placeholder', () => {
  it('is a course placeholder name', () => {
    expect(PLACEHOLDER_NAMES).toContain('org.tag');
  });

  it('is the name with spaces and punctuation removed, letters of any script kept', () => {
    expect(tagOf('Kestrel Works')).toBe('KestrelWorks');
    expect(tagOf('Smith & Sons, Ltd.')).toBe('SmithSonsLtd');
    expect(tagOf("O'Neill-Byrne 24/7")).toBe('ONeillByrne247');
    expect(tagOf('Société Générale')).toBe('SociétéGénérale');
    expect(tagOf('<b>Acme</b>')).toBe('bAcmeb');
  });
});
