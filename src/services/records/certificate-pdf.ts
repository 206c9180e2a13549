import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import type { CertificateDoc } from '../../db/models/records.js';
import { certificateValidity } from '../../domain/completion.js';
import { attestedVersions, isReattestation } from '../../domain/reattestation.js';
import { type Translator, translator } from '../../i18n/translator.js';
import { pdfLanguageOptions, recordLanguage } from './evidence-language.js';

/** The first 12 hex digits identify a content version for people; the full hash is in the evidence pack. */
export function shortVersion(version: string): string {
  return version.slice(0, 12);
}

// DejaVu Sans (from the dejavu-fonts-ttf package) covers Latin, Greek, Cyrillic and more: the
// built-in Helvetica is Latin-1 only and misprints names such as Łukasz, Dvořák or Ольга.
// pdfkit embeds just the glyphs a certificate uses, so the file stays small.
const fontFile = (name: string) => createRequire(import.meta.url).resolve(`dejavu-fonts-ttf/ttf/${name}`);
const REGULAR = fontFile('DejaVuSans.ttf');
const BOLD = fontFile('DejaVuSans-Bold.ttf');

/** Registers the fonts every PDF of the app draws with, as 'regular' and 'bold'. */
export function registerPdfFonts(doc: PDFKit.PDFDocument): void {
  doc.registerFont('regular', REGULAR);
  doc.registerFont('bold', BOLD);
}

/** The bytes of a pdfkit document once it has been ended. */
export function pdfBytes(doc: PDFKit.PDFDocument): Promise<Buffer> {
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  return new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}

export interface PdfOptions {
  verifyUrl: string;
  now: Date;
  /** The organisation that issues it (the profile's name); the product's name without one. */
  issuer?: string;
  /** Tests turn compression off so they can read the text without a PDF parser. */
  compress?: boolean;
}

/** The certificate's wording: the translator of its language and the options its lines are drawn with. */
interface Wording {
  t: Translator;
  center: PDFKit.Mixins.TextOptions;
}

/**
 * A revoked certificate is still served to its holder and HR (it is part of the record), but stamped
 * across the page so a printed copy cannot pass for a valid one; the verify link says the same.
 */
function stampRevoked(doc: PDFKit.PDFDocument, revokedAt: Date, { t, center }: Wording) {
  doc
    .moveDown(1)
    .font('bold')
    .fillColor('#a00000')
    .fontSize(13)
    .text(t.t('certificate.revokedOn', { date: t.day(revokedAt) }), center);
  const { width: pageWidth, height: pageHeight } = doc.page;
  doc.save();
  doc.rotate(-25, { origin: [pageWidth / 2, pageHeight / 2] });
  doc
    .font('bold')
    .fontSize(110)
    .fillColor('#a00000')
    .fillOpacity(0.18)
    .text(t.t('certificate.revokedStamp'), 0, pageHeight / 2 - 70, {
      ...center,
      width: pageWidth,
      lineBreak: false,
    });
  doc.restore();
}

/** "Policy version 2" or "Policy: re-attested version 3, replacing version 2", in the certificate's language. */
export function certificateVersionLine(
  t: Translator,
  cert: Pick<CertificateDoc, 'policyVersion' | 'replacesVersion'>,
) {
  const v = attestedVersions(cert);
  return isReattestation(cert)
    ? t.t('certificate.reattested', { version: v.policyVersion, replaced: v.replacesVersion })
    : t.t('certificate.policyVersion', { version: v.policyVersion });
}

/**
 * Draws the certificate in its language (the attestation's): holder, course and version, dates,
 * score and the verification code with the public URL that confirms it. No network is needed: the
 * fonts come from node_modules (DejaVu Sans has Latin, Greek, Cyrillic and Arabic glyphs).
 */
export function renderCertificatePdf(cert: CertificateDoc, opts: PdfOptions): Promise<Buffer> {
  const t = translator(recordLanguage(cert));
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: 56,
    compress: opts.compress ?? true,
    lang: t.lang,
    info: {
      Title: t.t('certificate.pdfTitle', { course: cert.courseTitle }),
      Author: opts.issuer ?? 'Policy Training',
      Subject: cert._id,
    },
  });
  registerPdfFonts(doc);
  const done = pdfBytes(doc);

  const width = doc.page.width - 112;
  const { wordSpacing } = pdfLanguageOptions(t.lang);
  const wording: Wording = { t, center: { align: 'center', width, ...(wordSpacing ? { wordSpacing } : {}) } };
  const { center } = wording;
  doc
    .lineWidth(3)
    .strokeColor('#1f4e79')
    .rect(28, 28, doc.page.width - 56, doc.page.height - 56)
    .stroke();
  // Start lower so the text sits near the middle of the landscape page.
  doc.moveDown(5);
  doc.font('regular').fontSize(14).fillColor('#444444').text(t.t('certificate.title'), center);
  doc.moveDown(1);
  doc.font('bold').fontSize(32).fillColor('#000000').text(cert.name, center);
  doc.moveDown(0.5);
  doc.font('regular').fontSize(14).text(t.t('certificate.hasCompleted'), center);
  doc.moveDown(0.5);
  doc.font('bold').fontSize(22).text(cert.courseTitle, center);
  doc
    .font('regular')
    .fontSize(11)
    .fillColor('#444444')
    .text(
      t.t('certificate.content', {
        policy: certificateVersionLine(t, cert),
        version: shortVersion(cert.contentVersion),
      }),
      center,
    );
  if (opts.issuer) doc.text(t.t('certificate.issuedBy', { issuer: opts.issuer }), center);
  doc.moveDown(1.5);

  const lines = [
    t.t('certificate.completed', { date: t.day(cert.completedAt) }),
    cert.expiresAt
      ? t.t('certificate.expires', { date: t.day(cert.expiresAt) })
      : t.t('certificate.noExpiry'),
    cert.score === null
      ? t.t('certificate.scoreNone')
      : t.t('certificate.score', { score: String(cert.score) }),
  ];
  doc.fillColor('#000000').fontSize(13);
  for (const line of lines) doc.text(line, center);
  doc.moveDown(1.5);
  doc
    .font('bold')
    .fontSize(13)
    .text(t.t('certificate.code', { code: cert._id }), center);
  doc
    .font('regular')
    .fontSize(11)
    .fillColor('#1f4e79')
    .text(t.t('certificate.checkAt', { url: opts.verifyUrl }), { ...center, link: opts.verifyUrl });
  const validity = certificateValidity(cert, opts.now);
  if (validity === 'expired') {
    doc.moveDown(1).fillColor('#a00000').fontSize(12).text(t.t('certificate.expired'), center);
  }
  if (validity === 'revoked' && cert.revokedAt) stampRevoked(doc, cert.revokedAt, wording);
  doc.end();
  return done;
}
