import { describe, expect, it } from 'vitest';
import { cycleKey } from '../../../src/db/keys.js';
import type { CertificateDoc } from '../../../src/db/models/records.js';
import { renderCertificatePdf } from '../../../src/services/records/certificate-pdf.js';
import { COURSE_ID } from '../../factories.js';
import { pdfText } from '../../helpers/pdf-text.js';

const certificate = (name: string): CertificateDoc => ({
  _id: 'K7QF-2MZD-9XRT-4HBC',
  cycleId: cycleKey('u1', COURSE_ID, 1),
  cycleNo: 1,
  userId: 'u1',
  courseId: COURSE_ID,
  name,
  courseTitle: 'Social media at Kestrel Works',
  contentVersion: 'a'.repeat(64),
  score: 90,
  completedAt: new Date('2026-03-02T10:00:00Z'),
  expiresAt: new Date('2027-03-02T10:00:00Z'),
  issuedAt: new Date('2026-03-02T10:00:00Z'),
});

describe('certificate PDF', () => {
  it('stamps a revoked certificate across the page and under the code, on one page', async () => {
    const revoked = {
      ...certificate('Ava Adams'),
      revokedAt: new Date('2026-03-20T09:00:00Z'),
      revokedBy: 'hr1',
      revokedReason: 'internal reason',
    };
    const pdf = await renderCertificatePdf(revoked, {
      verifyUrl: 'https://training.example/verify/K7QF-2MZD-9XRT-4HBC',
      now: new Date('2026-04-01T00:00:00Z'),
    });
    const text = await pdfText(pdf);
    expect(text).toContain('REVOKED on 20 March 2026: this certificate is no longer valid.');
    expect(text).toContain('REVOKED');
    expect(text).not.toContain('internal reason');
    expect(pdf.toString('latin1').match(/\/Type \/Page\b/g)).toHaveLength(1);
  });

  it('prints names outside Latin-1 exactly (Polish, Czech, Greek, Cyrillic)', async () => {
    const names = ['Łukasz Wójcik', 'Antonín Dvořák', 'Νίκος Παπαδόπουλος', 'Ольга Петрова'];
    for (const name of names) {
      const pdf = await renderCertificatePdf(certificate(name), {
        verifyUrl: 'https://training.example/verify/K7QF-2MZD-9XRT-4HBC',
        now: new Date('2026-04-01T00:00:00Z'),
      });
      const text = await pdfText(pdf);
      expect(text).toContain(name);
      expect(text).toContain('Verification code: K7QF-2MZD-9XRT-4HBC');
    }
  });

  it('embeds only the glyphs it uses, so the file stays small', async () => {
    const pdf = await renderCertificatePdf(certificate('Ольга Петрова'), {
      verifyUrl: 'https://training.example/verify/K7QF-2MZD-9XRT-4HBC',
      now: new Date('2026-04-01T00:00:00Z'),
    });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.length).toBeLessThan(80 * 1024);
  });
});
