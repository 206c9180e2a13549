import PDFDocument from 'pdfkit';
import type { PolicyTextClause, PolicyTextNotice } from '../../db/models/records.js';
import { jurisdictionNames } from '../../domain/jurisdictions.js';
import { pdfBytes, registerPdfFonts, shortVersion } from './certificate-pdf.js';

/** A policy's wording as one content version states it. */
export interface PolicyText {
  courseTitle: string;
  policyTitle: string;
  version: string;
  clauses: PolicyTextClause[];
  /** The jurisdictions whose notices the text shows (absent on texts kept before notices). */
  jurisdictions?: string[];
}

/** Clause text is plain text; a blank line starts a new paragraph. */
export function paragraphsOf(text: string): string[] {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

/** A clause's jurisdiction notice: who it is for, in bold, then its paragraphs, indented. */
function writeNotice(doc: PDFKit.PDFDocument, notice: PolicyTextNotice, width: number) {
  const indent = 12;
  doc
    .font('bold')
    .fontSize(10)
    .text(noticeHeading(notice.jurisdictions), 56 + indent, doc.y, {
      width: width - indent,
    });
  doc.font('regular').fontSize(10.5);
  for (const paragraph of paragraphsOf(notice.text)) {
    doc.text(paragraph, 56 + indent, doc.y, { width: width - indent });
    doc.moveDown(0.4);
  }
  doc.x = 56;
}

/** "Notice for staff in the United States": the heading of a clause notice, on the page and in the PDF. */
export function noticeHeading(jurisdictions: readonly string[]): string {
  return `Notice for staff in ${jurisdictionNames(jurisdictions)}`;
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
  if (policy.jurisdictions) {
    const names =
      policy.jurisdictions.length > 0 ? jurisdictionNames(policy.jurisdictions) : 'no jurisdiction';
    doc.text(`With the jurisdiction notices for staff in ${names}.`, { width });
  }
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
    for (const notice of clause.notices ?? []) writeNotice(doc, notice, width);
  }
  doc.end();
  return done;
}
