import PDFDocument from 'pdfkit';
import { formatDateTime, formatDay } from '../../domain/display-dates.js';
import { pdfBytes, registerPdfFonts } from '../records/certificate-pdf.js';
import { EXPORT_SECTIONS, type SubjectExport } from './subject-export.js';

/** What each part of the export is called for the person reading it. */
const SECTION_TITLES: Record<(typeof EXPORT_SECTIONS)[number], string> = {
  profile: 'Profile',
  assignments: 'Courses assigned',
  cycles: 'Training cycles',
  lessonProgress: 'Lesson progress',
  lessonViews: 'Lessons opened',
  quizAttempts: 'Quiz attempts (with the answers given)',
  quizResults: 'Quiz results',
  attestations: 'Policy attestations',
  certificates: 'Certificates',
  certificateRevocations: 'Certificate revocations',
  feedback: 'Questions and suggestions sent',
  learningActivity: 'Learning activity (examples, practice, memory)',
  reminders: 'Reminders',
  mails: 'E-mails sent to this person',
  sessions: 'Sign-in sessions',
  auditEvents: 'Audit events',
};

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

function drawSection(doc: PDFKit.PDFDocument, title: string, records: unknown[]) {
  doc.moveDown(1).font('bold').fontSize(13).fillColor('#000').text(`${title} (${records.length})`);
  if (records.length === 0) {
    doc.font('regular').fontSize(9).fillColor('#555').text('Nothing held.');
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
 * each record's fields. Same content as the JSON (mail HTML left out, very long texts cut).
 */
export function renderSubjectExportPdf(
  data: SubjectExport,
  opts: { name: string; issuer: string; compress?: boolean },
): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 50, compress: opts.compress ?? true });
  registerPdfFonts(doc);
  const bytes = pdfBytes(doc);
  doc.info.Title = `Personal data held about ${opts.name}`;
  doc.font('bold').fontSize(18).text(`Personal data held about ${opts.name}`);
  doc
    .moveDown(0.5)
    .font('regular')
    .fontSize(10)
    .text(
      `Everything ${opts.issuer}'s training records system holds about this person on ${formatDay(data.generatedAt)} ` +
        `(generated ${formatDateTime(data.generatedAt)}), under Article 15 of the GDPR. ` +
        'The same content is available as JSON for reuse. Passwords and session keys are never included.',
    );
  for (const key of EXPORT_SECTIONS) drawSection(doc, SECTION_TITLES[key], sectionRecords(data, key));
  doc.end();
  return bytes;
}
