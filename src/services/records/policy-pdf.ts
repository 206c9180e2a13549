import PDFDocument from 'pdfkit';
import type { PolicyTextClause, PolicyTextNotice } from '../../db/models/records.js';
import type { Language } from '../../domain/i18n/languages.js';
import { type Translator, translator } from '../../i18n/translator.js';
import { pdfBytes, registerPdfFonts, shortVersion } from './certificate-pdf.js';
import { pdfLanguageOptions, recordLanguage, regionNames } from './evidence-language.js';

/** A policy's wording as one content version states it. */
export interface PolicyText {
  courseTitle: string;
  policyTitle: string;
  version: string;
  clauses: PolicyTextClause[];
  /** The jurisdictions whose notices the text shows (absent on texts kept before notices). */
  jurisdictions?: string[];
  /** The language of the text (absent on texts kept before languages: English). */
  language?: Language;
}

/** Clause text is plain text; a blank line starts a new paragraph. */
export function paragraphsOf(text: string): string[] {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

/** A clause's jurisdiction notice: who it is for, in bold, then its paragraphs, indented. */
function writeNotice(doc: PDFKit.PDFDocument, notice: PolicyTextNotice, width: number, t: Translator) {
  const indent = 12;
  const options = { width: width - indent, ...pdfLanguageOptions(t.lang) };
  doc
    .font('bold')
    .fontSize(10)
    .text(noticeHeading(notice.jurisdictions, t), 56 + indent, doc.y, options);
  doc.font('regular').fontSize(10.5);
  for (const paragraph of paragraphsOf(notice.text)) {
    doc.text(paragraph, 56 + indent, doc.y, options);
    doc.moveDown(0.4);
  }
  doc.x = 56;
}

/**
 * "Notice for staff in the United States": the heading of a clause notice, on the page and in the
 * PDF; in the text's language when given its translator (English wording otherwise).
 */
export function noticeHeading(jurisdictions: readonly string[], t: Translator = translator('en')): string {
  return t.t('certificate.policy.noticeFor', { regions: regionNames(t, jurisdictions) });
}

/**
 * The policy as a printable A4 document: title, the full content version (the hash attestations
 * bind to) and every clause in full, in order. Same fonts as the certificate (DejaVu, embedded).
 */
export function renderPolicyPdf(policy: PolicyText, opts: { compress?: boolean } = {}): Promise<Buffer> {
  const t = translator(recordLanguage(policy));
  const version = shortVersion(policy.version);
  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    compress: opts.compress ?? true,
    lang: t.lang,
    info: {
      Title: t.t('certificate.policy.pdfTitle', { title: policy.policyTitle, version }),
      Author: 'Policy Training',
      Subject: policy.courseTitle,
    },
  });
  registerPdfFonts(doc);
  const done = pdfBytes(doc);
  const box = { width: doc.page.width - 112, ...pdfLanguageOptions(t.lang) };

  doc.font('bold').fontSize(20).fillColor('#000000').text(policy.policyTitle, box);
  doc.moveDown(0.3);
  doc
    .font('regular')
    .fontSize(9)
    .fillColor('#444444')
    .text(t.t('certificate.policy.version', { version }), box)
    .text(policy.version, { width: box.width });
  doc.text(t.t('certificate.policy.presented', { course: policy.courseTitle }), box);
  if (policy.jurisdictions) {
    const regions =
      policy.jurisdictions.length > 0
        ? regionNames(t, policy.jurisdictions)
        : t.t('certificate.policy.noRegion');
    doc.text(t.t('certificate.policy.notices', { regions }), box);
  }
  for (const clause of policy.clauses) {
    doc.moveDown(1);
    doc.font('bold').fontSize(12).fillColor('#000000').text(`${clause.number}. ${clause.title}`, box);
    doc.font('regular').fontSize(9).fillColor('#444444').text(clause.summary, box);
    doc.moveDown(0.3);
    doc.fontSize(10.5).fillColor('#000000');
    for (const paragraph of paragraphsOf(clause.text)) {
      doc.text(paragraph, box);
      doc.moveDown(0.4);
    }
    for (const notice of clause.notices ?? []) writeNotice(doc, notice, box.width, t);
  }
  doc.end();
  return done;
}
