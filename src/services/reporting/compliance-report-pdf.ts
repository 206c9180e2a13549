import PDFDocument from 'pdfkit';
import type { CertificateDoc } from '../../db/models/records.js';
import type { Language } from '../../domain/i18n/languages.js';
import type { ReportPeriod } from '../../domain/reporting/period.js';
import { type Translator, translator } from '../../i18n/translator.js';
import type { ChainReport } from '../audit/verify.js';
import { pdfBytes, registerPdfFonts, shortVersion } from '../records/certificate-pdf.js';
import { pdfLanguageOptions } from '../records/evidence-language.js';

interface PersonRow {
  courseId: string;
  name: string;
  email: string;
  department: string;
  assignedAt: Date;
  /** When they left, if they have: named and marked, so a past period's report never changes. */
  leftAt?: Date | null;
}

/** A person's name, marked when they have left since (or during) the period. */
const nameOf = (p: PersonRow, t: Translator) =>
  p.leftAt ? t.t('reports.pdf.left', { name: p.name, day: t.day(p.leftAt) }) : p.name;

export interface ComplianceReport {
  period: ReportPeriod;
  /** null: every department. */
  department: string | null;
  generatedAt: Date;
  /** The end of the period, or now while the period has not ended. */
  overdueAsAt: Date;
  periodEnded: boolean;
  courses: Array<{
    courseId: string;
    title: string;
    assigned: PersonRow[];
    completed: Array<PersonRow & { certificate: CertificateDoc }>;
    overdue: Array<PersonRow & { dueAt: Date }>;
    exceptions: Array<
      PersonRow & {
        at: Date;
        action: string;
        details: Record<string, unknown>;
        /** HR's reason; empty once erased. */
        reason: string;
        grantedBy: string;
      }
    >;
  }>;
  audit: ChainReport & { fingerprint: string };
}

const MARGIN = 48;
type Doc = PDFKit.PDFDocument;
interface Column {
  header: string;
  width: number;
}

/**
 * The document and its language: the requesting HR person's (reports.pdf.* messages, days in that
 * language). Arabic is drawn right-aligned, word by word, in DejaVu Sans (see pdfLanguageOptions).
 */
interface Pdf {
  doc: Doc;
  t: Translator;
  text: { wordSpacing?: number; align?: 'right' };
}

/** A table that carries on over pages, repeating its header row on each. */
function table({ doc, text }: Pdf, columns: readonly Column[], rows: readonly string[][]): void {
  const bottom = doc.page.height - MARGIN;
  const drawRow = (cells: readonly string[], font: 'regular' | 'bold') => {
    doc.font(font).fontSize(8.5);
    const height = Math.max(...cells.map((c, i) => doc.heightOfString(c, { width: columns[i]!.width - 6 })));
    let y = doc.y;
    if (y + height > bottom) {
      doc.addPage();
      y = doc.y;
    }
    let x = MARGIN;
    cells.forEach((cell, i) => {
      doc.text(cell, x, y, { ...text, width: columns[i]!.width - 6 });
      x += columns[i]!.width;
    });
    doc.x = MARGIN;
    doc.y = y + height + 3;
  };
  drawRow(
    columns.map((c) => c.header),
    'bold',
  );
  for (const row of rows) drawRow(row, 'regular');
  doc.moveDown(0.6);
}

function heading({ doc, text }: Pdf, line: string, size: number): void {
  if (doc.y > doc.page.height - MARGIN - 80) doc.addPage();
  doc.font('bold').fontSize(size).fillColor('#000000').text(line, MARGIN, doc.y, text);
  doc.moveDown(0.3);
}

function note({ doc, text }: Pdf, line: string): void {
  doc.font('regular').fontSize(9).fillColor('#444444').text(line, MARGIN, doc.y, text).fillColor('#000000');
  doc.moveDown(0.3);
}

function exceptionText(t: Translator, action: string, details: Record<string, unknown>): string {
  if (action === 'assignment.extended') {
    const from = details.from ? t.day(details.from as string) : t.t('reports.pdf.noDueDate');
    return t.t('reports.pdf.extended', { from, to: t.day(details.to as string) });
  }
  return t.t('reports.pdf.extraAttempts', { count: String(details.count) });
}

function auditSection(pdf: Pdf, audit: ComplianceReport['audit']): void {
  const { doc, t, text } = pdf;
  heading(pdf, t.t('reports.pdf.auditLog'), 13);
  const anchors = t.t('reports.pdf.anchors', {
    signed: audit.anchors.signed,
    unsigned: audit.anchors.unsigned,
  });
  if (audit.ok)
    doc
      .font('bold')
      .fontSize(10)
      .text(t.t('reports.pdf.auditOk', { count: audit.count, anchors }), text);
  else {
    doc
      .font('bold')
      .fontSize(10)
      .fillColor('#a00000')
      .text(t.t('reports.pdf.auditFailed', { count: audit.count, anchors }), text);
    doc.font('regular').fontSize(9);
    for (const f of audit.failures) doc.text(`• ${f}`);
    doc.fillColor('#000000');
  }
  doc
    .font('regular')
    .fontSize(10)
    .text(t.t('reports.pdf.fingerprint', { fingerprint: audit.fingerprint }), text);
  note(pdf, t.t('reports.pdf.fingerprintNote'));
  doc.moveDown(0.5);
}

function courseSection(pdf: Pdf, course: ComplianceReport['courses'][number], overdueWhen: string): void {
  const { t } = pdf;
  const col = (key: string, width: number) => ({ header: t.t(`reports.pdf.col.${key}`), width });
  const noDepartment = t.t('reports.pdf.noDepartment');
  heading(pdf, course.title, 14);
  const none = (rows: readonly unknown[]) => rows.length === 0 && note(pdf, t.t('reports.pdf.none'));
  heading(pdf, t.t('reports.pdf.assigned', { count: course.assigned.length }), 11);
  note(pdf, t.t('reports.pdf.assignedNote'));
  none(course.assigned);
  if (course.assigned.length)
    table(
      pdf,
      [col('name', 140), col('email', 160), col('department', 110), col('assignedOn', 89)],
      course.assigned.map((p) => [nameOf(p, t), p.email, p.department || noDepartment, t.day(p.assignedAt)]),
    );
  heading(pdf, t.t('reports.pdf.completed', { count: course.completed.length }), 11);
  none(course.completed);
  if (course.completed.length)
    table(
      pdf,
      [col('name', 120), col('email', 140), col('completed', 80), col('version', 70), col('certificate', 89)],
      course.completed.map(({ certificate: c, ...p }) => [
        nameOf(p, t),
        p.email,
        t.day(c.completedAt),
        t.t('reports.pdf.policyVersion', { version: c.policyVersion ?? 1 }),
        t.t('reports.pdf.certificate', {
          code: c._id,
          revoked: c.revokedAt ? 'yes' : 'no',
          day: c.revokedAt ? t.day(c.revokedAt) : '',
          content: shortVersion(c.contentVersion),
        }),
      ]),
    );
  heading(pdf, t.t('reports.pdf.overdue', { when: overdueWhen, count: course.overdue.length }), 11);
  none(course.overdue);
  if (course.overdue.length)
    table(
      pdf,
      [col('name', 140), col('email', 160), col('department', 110), col('dueThen', 89)],
      course.overdue.map((p) => [
        nameOf(p, t),
        p.email,
        p.department || noDepartment,
        t.t('reports.pdf.due', { day: t.day(p.dueAt) }),
      ]),
    );
  heading(pdf, t.t('reports.pdf.exceptions', { count: course.exceptions.length }), 11);
  note(pdf, t.t('reports.pdf.exceptionsNote'));
  none(course.exceptions);
  if (course.exceptions.length)
    table(
      pdf,
      [col('date', 75), col('person', 90), col('exception', 140), col('reason', 124), col('grantedBy', 70)],
      course.exceptions.map((e) => [
        t.day(e.at),
        nameOf(e, t),
        exceptionText(t, e.action, e.details),
        e.reason || t.t('reports.pdf.erased'),
        e.grantedBy || t.t('reports.pdf.system'),
      ]),
    );
}

/**
 * The auditor's document, in the language of the HR person who asked for it: the period, the audit
 * check, then per course who was assigned, completed, overdue and excused.
 */
export function renderComplianceReportPdf(
  report: ComplianceReport,
  opts: { issuer?: string; compress?: boolean; lang?: Language } = {},
): Promise<Buffer> {
  const t = translator(opts.lang ?? 'en');
  const range = t.t('reports.pdf.range', { from: t.day(report.period.from), to: t.day(report.period.to) });
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    compress: opts.compress ?? true,
    lang: t.lang,
    info: { Title: t.t('reports.pdf.docTitle', { range }), Author: opts.issuer ?? 'Policy Training' },
  });
  registerPdfFonts(doc);
  const done = pdfBytes(doc);
  const text = pdfLanguageOptions(t.lang);
  const pdf: Pdf = { doc, t, text };
  doc.font('bold').fontSize(20).text(t.t('reports.pdf.title'), text);
  if (opts.issuer) doc.font('regular').fontSize(11).text(opts.issuer, text);
  doc.font('regular').fontSize(11).text(t.t('reports.pdf.period', { range }), text);
  const department = report.department ?? t.t('reports.pdf.allDepartments');
  doc.text(t.t('reports.pdf.department', { department }), text);
  doc.text(t.t('reports.pdf.generated', { at: t.dateTime(report.generatedAt) }), text);
  doc.moveDown(1);
  auditSection(pdf, report.audit);
  if (report.courses.length === 0) note(pdf, t.t('reports.pdf.nobody'));
  // Overdue at the end of the last day (records up to midnight), or now for a period still running.
  const overdueWhen = report.periodEnded
    ? t.t('reports.pdf.overdueAtEnd', { day: t.day(report.period.to) })
    : t.t('reports.pdf.overdueOn', { at: t.dateTime(report.overdueAsAt) });
  for (const course of report.courses) courseSection(pdf, course, overdueWhen);
  doc.end();
  return done;
}
