import PDFDocument from 'pdfkit';
import type { PolicyTextClause } from '../../db/models/records.js';
import { pdfBytes, registerPdfFonts, shortVersion } from './certificate-pdf.js';

/** A policy's wording as one content version states it. */
export interface PolicyText {
  courseTitle: string;
  policyTitle: string;
  version: string;
  clauses: PolicyTextClause[];
}

/** Clause text is plain text; a blank line starts a new paragraph. */
export function paragraphsOf(text: string): string[] {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

/**
 * The policy as a printable A4 document: title, the full content version (the hash attestations
 * bind to) and every clause in full, in order. Same fonts as the certificate (DejaVu, embedded).
 */
export function renderPolicyPdf(policy: PolicyText, opts: { compress?: boolean } = {}): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    compress: opts.compress ?? true,
    info: {
      Title: `${policy.policyTitle} (version ${shortVersion(policy.version)})`,
      Author: 'Policy Training',
      Subject: policy.courseTitle,
    },
  });
  registerPdfFonts(doc);
  const done = pdfBytes(doc);
  const width = doc.page.width - 112;

  doc.font('bold').fontSize(20).fillColor('#000000').text(policy.policyTitle, { width });
  doc.moveDown(0.3);
  doc
    .font('regular')
    .fontSize(9)
    .fillColor('#444444')
    .text(`Version ${shortVersion(policy.version)}; the full version hash:`, { width })
    .text(policy.version, { width });
  doc.text(`The full text presented for attestation in the training "${policy.courseTitle}".`, { width });
  for (const clause of policy.clauses) {
    doc.moveDown(1);
    doc.font('bold').fontSize(12).fillColor('#000000').text(`${clause.number}. ${clause.title}`, { width });
    doc.font('regular').fontSize(9).fillColor('#444444').text(clause.summary, { width });
    doc.moveDown(0.3);
    doc.fontSize(10.5).fillColor('#000000');
    for (const paragraph of paragraphsOf(clause.text)) {
      doc.text(paragraph, { width });
      doc.moveDown(0.4);
    }
  }
  doc.end();
  return done;
}
