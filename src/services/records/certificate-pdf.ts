import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import type { CertificateDoc } from '../../db/models/records.js';
import { certificateValidity } from '../../domain/completion.js';
import { formatDay } from '../../domain/display-dates.js';
import { versionLine } from '../../domain/reattestation.js';

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

/**
 * A revoked certificate is still served to its holder and HR (it is part of the record), but stamped
 * across the page so a printed copy cannot pass for a valid one; the verify link says the same.
 */
function stampRevoked(doc: PDFKit.PDFDocument, revokedAt: Date, width: number) {
  doc
    .moveDown(1)
    .font('bold')
    .fillColor('#a00000')
    .fontSize(13)
    .text(`REVOKED on ${formatDay(revokedAt)}: this certificate is no longer valid.`, {
      align: 'center',
      width,
    });
  const { width: pageWidth, height: pageHeight } = doc.page;
  doc.save();
  doc.rotate(-25, { origin: [pageWidth / 2, pageHeight / 2] });
  doc
    .font('bold')
    .fontSize(110)
    .fillColor('#a00000')
    .fillOpacity(0.18)
    .text('REVOKED', 0, pageHeight / 2 - 70, { align: 'center', width: pageWidth, lineBreak: false });
  doc.restore();
}

/**
 * Draws the certificate: holder, course and version, dates, score and the verification code with
 * the public URL that confirms it. No network is needed: the fonts come from node_modules.
 */
export function renderCertificatePdf(cert: CertificateDoc, opts: PdfOptions): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: 56,
    compress: opts.compress ?? true,
    info: {
      Title: `Certificate of completion: ${cert.courseTitle}`,
      Author: opts.issuer ?? 'Policy Training',
      Subject: cert._id,
    },
  });
  registerPdfFonts(doc);
  const done = pdfBytes(doc);

  const width = doc.page.width - 112;
  doc
    .lineWidth(3)
    .strokeColor('#1f4e79')
    .rect(28, 28, doc.page.width - 56, doc.page.height - 56)
    .stroke();
  // Start lower so the text sits near the middle of the landscape page.
  doc.moveDown(5);
  doc
    .font('regular')
    .fontSize(14)
    .fillColor('#444444')
    .text('Certificate of completion', { align: 'center', width });
  doc.moveDown(1);
  doc.font('bold').fontSize(32).fillColor('#000000').text(cert.name, { align: 'center', width });
  doc.moveDown(0.5);
  doc.font('regular').fontSize(14).text('has completed the training', { align: 'center', width });
  doc.moveDown(0.5);
  doc.font('bold').fontSize(22).text(cert.courseTitle, { align: 'center', width });
  doc
    .font('regular')
    .fontSize(11)
    .fillColor('#444444')
    .text(`${versionLine(cert)} · content ${shortVersion(cert.contentVersion)}`, {
      align: 'center',
      width,
    });
  if (opts.issuer) doc.text(`Issued by ${opts.issuer}`, { align: 'center', width });
  doc.moveDown(1.5);

  const lines = [
    `Completed: ${formatDay(cert.completedAt)}`,
    cert.expiresAt ? `Expires: ${formatDay(cert.expiresAt)}` : 'Does not expire',
    cert.score === null ? 'Score: not applicable (attestation only)' : `Score: ${cert.score}%`,
  ];
  doc.fillColor('#000000').fontSize(13);
  for (const line of lines) doc.text(line, { align: 'center', width });
  doc.moveDown(1.5);
  doc.font('bold').fontSize(13).text(`Verification code: ${cert._id}`, { align: 'center', width });
  doc.font('regular').fontSize(11).fillColor('#1f4e79').text(`Check it at ${opts.verifyUrl}`, {
    align: 'center',
    width,
    link: opts.verifyUrl,
  });
  const validity = certificateValidity(cert, opts.now);
  if (validity === 'expired') {
    doc
      .moveDown(1)
      .fillColor('#a00000')
      .fontSize(12)
      .text('This certificate has expired.', { align: 'center', width });
  }
  if (validity === 'revoked' && cert.revokedAt) stampRevoked(doc, cert.revokedAt, width);
  doc.end();
  return done;
}
