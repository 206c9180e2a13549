import { describe, expect, it } from 'vitest';
import { lessonLabels } from '../../../src/content/lesson-labels.js';
import { translator } from '../../../src/i18n/translator.js';
import { regionNames } from '../../../src/services/records/evidence-language.js';
import { noticeHeading } from '../../../src/services/records/policy-pdf.js';

/**
 * The sentences that name the regions a notice is for, as rendered in Spanish and German (#26):
 * Spanish says "en el Reino Unido" (never "de el"), German puts the preposition with each name
 * ("im Vereinigten Königreich", never the stiff "in dem").
 */
const pdfNotices = (lang: 'es' | 'de', codes: string[]) => {
  const t = translator(lang);
  const regions = codes.length ? regionNames(t, codes) : t.t('certificate.policy.noRegion');
  return t.t('certificate.policy.notices', { regions });
};

describe('region phrases in Spanish and German', () => {
  it("a lesson notice block's heading", () => {
    expect(lessonLabels('es').noticeFor(['uk', 'us'])).toBe(
      'Para el personal en Estados Unidos y el Reino Unido',
    );
    expect(lessonLabels('de').noticeFor(['uk', 'us'])).toBe(
      'Für Beschäftigte in den Vereinigten Staaten und im Vereinigten Königreich',
    );
    expect(lessonLabels('de').noticeFor(['uk', 'eu'])).toBe(
      'Für Beschäftigte im Vereinigten Königreich und in der EU und im EWR',
    );
  });

  it('the notice heading of the signed text and the policy PDF', () => {
    expect(noticeHeading(['uk'], translator('es'))).toBe('Aviso para el personal en el Reino Unido');
    expect(noticeHeading(['uk'], translator('de'))).toBe(
      'Hinweis für Beschäftigte im Vereinigten Königreich',
    );
    expect(noticeHeading(['ca', 'au'], translator('de'))).toBe(
      'Hinweis für Beschäftigte in Kanada und in Australien',
    );
  });

  it("the policy PDF's line naming the notices shown", () => {
    expect(pdfNotices('es', ['uk'])).toBe(
      'Con los avisos jurisdiccionales para el personal en el Reino Unido.',
    );
    expect(pdfNotices('es', [])).toBe(
      'Con los avisos jurisdiccionales para el personal en ninguna jurisdicción.',
    );
    expect(pdfNotices('de', ['us', 'uk'])).toBe(
      'Mit den länderspezifischen Hinweisen für Beschäftigte in den Vereinigten Staaten und im Vereinigten Königreich.',
    );
    expect(pdfNotices('de', [])).toBe(
      'Mit den länderspezifischen Hinweisen für Beschäftigte in keinem Rechtsraum.',
    );
  });

  it('no German region phrase says "in dem" and no Spanish one "de el"', () => {
    const codes = ['us', 'uk', 'eu', 'ca', 'au', 'other'];
    for (const r of codes) {
      expect(lessonLabels('de').noticeFor([r])).not.toMatch(/\bin (dem|der|den) .* (dem|der) /);
      expect(noticeHeading([r], translator('de'))).not.toContain('in dem');
      expect(lessonLabels('es').noticeFor([r])).not.toContain('de el');
      expect(noticeHeading([r], translator('es'))).not.toContain('de el');
    }
  });
});
