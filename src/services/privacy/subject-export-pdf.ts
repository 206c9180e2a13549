import PDFDocument from 'pdfkit';
import { formatDateTime } from '../../domain/display-dates.js';
import type { Translator } from '../../i18n/translator.js';
import { pdfBytes, registerPdfFonts } from '../records/certificate-pdf.js';
import { pdfLanguageOptions } from '../records/evidence-language.js';
import { EXPORT_SECTIONS, type SubjectExport } from './subject-export.js';

/** Mail bodies are kept as text; the HTML copy says the same and would only double the report. */
const LEFT_OUT = new Set(['html']);
/** A field longer than this is cut in the PDF (the JSON has it whole). */
const MAX_VALUE = 1500;

function isDate(v: unknown): v is Date {
  return v instanceof Date && !Number.isNaN(v.getTime());
}

/** One record as "field: value" lines, nested fields as `a.b`, dates readable, lists joined. */
export function recordLines(record: unknown, prefix = ''): string[] {
  if (record === null || record === undefined) return prefix ? [`${prefix}: —`] : [];
  if (isDate(record)) return [`${prefix}: ${formatDateTime(record)}`];
  if (Array.isArray(record)) {
    if (record.every((v) => v === null || typeof v !== 'object' || isDate(v))) {
      const text = record.map((v) => (isDate(v) ? formatDateTime(v) : String(v))).join(', ');
      return [`${prefix}: ${text || '—'}`];
    }
    return record.flatMap((v, i) => recordLines(v, `${prefix}[${i + 1}]`));
  }
  if (typeof record === 'object') {
    const entries = Object.entries(record as Record<string, unknown>).filter(([k]) => !LEFT_OUT.has(k));
    if (entries.length === 0) return prefix ? [`${prefix}: —`] : [];
    return entries.flatMap(([k, v]) => recordLines(v, prefix ? `${prefix}.${k}` : k));
  }
  const text = String(record);
  return [
    `${prefix}: ${text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE)}… (cut; whole in the JSON)` : text}`,
  ];
}

/** The records of one section (the profile and the learning activity are one record each). */
function sectionRecords(data: SubjectExport, key: (typeof EXPORT_SECTIONS)[number]): unknown[] {
  if (key === 'profile') return [data.profile];
  if (key === 'learningActivity') {
    return Object.entries(data.learningActivity).flatMap(([kind, list]) =>
      (list as unknown[]).map((r) => ({ kind, ...(r as object) })),
    );
  }
  return data[key] as unknown[];
}

function drawSection(doc: PDFKit.PDFDocument, i18n: Translator, title: string, records: unknown[]) {
  const options = pdfLanguageOptions(i18n.lang);
  doc
    .moveDown(1)
    .font('bold')
    .fontSize(13)
    .fillColor('#000')
    .text(`${title} (${i18n.number(records.length)})`, options);
  if (records.length === 0) {
    doc.font('regular').fontSize(9).fillColor('#555').text(i18n.t('privacy.pdf.nothing'), options);
    return;
  }
  records.forEach((record, i) => {
    doc
      .moveDown(0.4)
      .font('bold')
      .fontSize(9)
      .fillColor('#333')
      .text(`${i + 1}.`);
    doc.font('regular').fontSize(9).fillColor('#000');
    for (const line of recordLines(record)) doc.text(line, { indent: 12 });
  });
}

/**
 * The readable copy of the export: a cover paragraph saying what it is, then every section with
 * each record's fields. Same content as the JSON (mail HTML left out, very long texts cut). The
 * headings and the cover are in the language of the HR person who downloads it (DejaVu Sans has
 * the Arabic glyphs); the records' field names stay those of the JSON export, and it says so.
 */
export function renderSubjectExportPdf(
  data: SubjectExport,
  opts: { name: string; issuer: string; i18n: Translator; compress?: boolean },
): Promise<Buffer> {
  const { i18n } = opts;
  const options = pdfLanguageOptions(i18n.lang);
  const doc = new PDFDocument({ size: 'A4', margin: 50, compress: opts.compress ?? true });
  registerPdfFonts(doc);
  const bytes = pdfBytes(doc);
  const title = i18n.t('privacy.pdf.title', { name: opts.name });
  doc.info.Title = title;
  doc.font('bold').fontSize(18).text(title, options);
  const intro = i18n.t('privacy.pdf.intro', {
    issuer: opts.issuer,
    day: i18n.day(data.generatedAt),
    generated: i18n.dateTime(data.generatedAt),
  });
  // In English the field names read as words; in another language, say they are the JSON's.
  const note = i18n.lang === 'en' ? '' : ` ${i18n.t('privacy.pdf.fieldsNote')}`;
  doc
    .moveDown(0.5)
    .font('regular')
    .fontSize(10)
    .text(intro + note, options);
  for (const key of EXPORT_SECTIONS)
    drawSection(doc, i18n, i18n.t(`privacy.pdf.section.${key}`), sectionRecords(data, key));
  doc.end();
  return bytes;
}
