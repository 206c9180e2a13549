import PDFDocument from 'pdfkit';
import type { CertificateDoc } from '../../db/models/records.js';
import { formatDateTime, formatDay } from '../../domain/display-dates.js';
import type { ReportPeriod } from '../../domain/reporting/period.js';
import type { ChainReport } from '../audit/verify.js';
import { pdfBytes, registerPdfFonts, shortVersion } from '../records/certificate-pdf.js';

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
const nameOf = (p: PersonRow) => (p.leftAt ? `${p.name} (left ${formatDay(p.leftAt)})` : p.name);

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

/** A table that carries on over pages, repeating its header row on each. */
function table(doc: Doc, columns: readonly Column[], rows: readonly string[][]): void {
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
      doc.text(cell, x, y, { width: columns[i]!.width - 6 });
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

function heading(doc: Doc, text: string, size: number): void {
  if (doc.y > doc.page.height - MARGIN - 80) doc.addPage();
  doc.font('bold').fontSize(size).fillColor('#000000').text(text, MARGIN, doc.y);
  doc.moveDown(0.3);
}

function note(doc: Doc, text: string): void {
  doc.font('regular').fontSize(9).fillColor('#444444').text(text, MARGIN, doc.y).fillColor('#000000');
  doc.moveDown(0.3);
}

function exceptionText(action: string, details: Record<string, unknown>): string {
  if (action === 'assignment.extended') {
    const from = details.from ? formatDay(details.from as string) : 'no due date';
    return `Due date extended from ${from} to ${formatDay(details.to as string)}`;
  }
  return `Extra quiz attempts: ${details.count}`;
}

function auditSection(doc: Doc, audit: ComplianceReport['audit']): void {
  heading(doc, 'Audit log', 13);
  const anchors = `${audit.anchors.signed} signed hourly anchors, ${audit.anchors.unsigned} unsigned from before signing`;
  if (audit.ok)
    doc.font('bold').fontSize(10).text(`Audit log verified: intact (${audit.count} events; ${anchors}).`);
  else {
    doc
      .font('bold')
      .fontSize(10)
      .fillColor('#a00000')
      .text(`Audit log verification FAILED (${audit.count} events linked intact; ${anchors}).`);
    doc.font('regular').fontSize(9);
    for (const f of audit.failures) doc.text(`• ${f}`);
    doc.fillColor('#000000');
  }
  doc.font('regular').fontSize(10).text(`Fingerprint: ${audit.fingerprint}`);
  note(
    doc,
    'The fingerprint is the last event\u2019s number and the start of its hash. Keep it with this report: ' +
      '`lms audit:verify --fingerprint <fingerprint>` shows later that no event up to it was changed or removed.',
  );
  doc.moveDown(0.5);
}

function courseSection(doc: Doc, course: ComplianceReport['courses'][number], overdueWhen: string): void {
  heading(doc, course.title, 14);
  const none = (rows: readonly unknown[]) => rows.length === 0 && note(doc, 'None.');
  heading(doc, `Assigned (${course.assigned.length})`, 11);
  note(doc, 'Everyone whose assignment started before the end of the period and is still active.');
  none(course.assigned);
  if (course.assigned.length)
    table(
      doc,
      [
        { header: 'Name', width: 140 },
        { header: 'E-mail', width: 160 },
        { header: 'Department', width: 110 },
        { header: 'Assigned on', width: 89 },
      ],
      course.assigned.map((p) => [nameOf(p), p.email, p.department || '(none)', formatDay(p.assignedAt)]),
    );
  heading(doc, `Completed (${course.completed.length})`, 11);
  none(course.completed);
  if (course.completed.length)
    table(
      doc,
      [
        { header: 'Name', width: 120 },
        { header: 'E-mail', width: 140 },
        { header: 'Completed', width: 80 },
        { header: 'Version', width: 70 },
        { header: 'Certificate', width: 89 },
      ],
      course.completed.map(({ certificate: c, ...p }) => [
        nameOf(p),
        p.email,
        formatDay(c.completedAt),
        `Policy version ${c.policyVersion ?? 1}`,
        `${c._id}${c.revokedAt ? ` (revoked ${formatDay(c.revokedAt)})` : ''} content ${shortVersion(c.contentVersion)}`,
      ]),
    );
  heading(doc, `Overdue ${overdueWhen} (${course.overdue.length})`, 11);
  none(course.overdue);
  if (course.overdue.length)
    table(
      doc,
      [
        { header: 'Name', width: 140 },
        { header: 'E-mail', width: 160 },
        { header: 'Department', width: 110 },
        { header: 'Due date then', width: 89 },
      ],
      course.overdue.map((p) => [nameOf(p), p.email, p.department || '(none)', `due ${formatDay(p.dueAt)}`]),
    );
  heading(doc, `Exceptions granted (${course.exceptions.length})`, 11);
  note(
    doc,
    'Due-date extensions and extra quiz attempts, each with the reason HR gave. The app records no other exemptions.',
  );
  none(course.exceptions);
  if (course.exceptions.length)
    table(
      doc,
      [
        { header: 'Date', width: 75 },
        { header: 'Person', width: 90 },
        { header: 'Exception', width: 140 },
        { header: 'Reason', width: 124 },
        { header: 'Granted by', width: 70 },
      ],
      course.exceptions.map((e) => [
        formatDay(e.at),
        nameOf(e),
        exceptionText(e.action, e.details),
        e.reason || '(erased)',
        e.grantedBy,
      ]),
    );
}

/** The auditor's document: the period, the audit check, then per course who was assigned, completed, overdue and excused. */
export function renderComplianceReportPdf(
  report: ComplianceReport,
  opts: { issuer?: string; compress?: boolean } = {},
): Promise<Buffer> {
  const range = `${formatDay(report.period.from)} to ${formatDay(report.period.to)}`;
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    compress: opts.compress ?? true,
    info: { Title: `Compliance report, ${range}`, Author: opts.issuer ?? 'Policy Training' },
  });
  registerPdfFonts(doc);
  const done = pdfBytes(doc);
  doc.font('bold').fontSize(20).text('Compliance report');
  if (opts.issuer) doc.font('regular').fontSize(11).text(opts.issuer);
  doc.font('regular').fontSize(11).text(`Period: ${range} (UTC days, both included)`);
  doc.text(`Department: ${report.department ?? 'all departments'}`);
  doc.text(`Generated: ${formatDateTime(report.generatedAt)}`);
  doc.moveDown(1);
  auditSection(doc, report.audit);
  if (report.courses.length === 0) note(doc, 'Nobody was assigned training in this period.');
  // Overdue at the end of the last day (records up to midnight), or now for a period still running.
  const overdueWhen = report.periodEnded
    ? `at the end of ${formatDay(report.period.to)}`
    : `on ${formatDateTime(report.overdueAsAt)}`;
  for (const course of report.courses) courseSection(doc, course, overdueWhen);
  doc.end();
  return done;
}
