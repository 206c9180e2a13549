import type { KeyObject } from 'node:crypto';
import { cycleKey } from '../../db/keys.js';
import type { AuditEventDoc } from '../../db/models/audit-event.js';
import type { Models } from '../../db/models/index.js';
import type { CertificateDoc } from '../../db/models/records.js';
import type { AssignmentDoc, CycleDoc } from '../../db/models/training.js';
import type { UserDoc } from '../../db/models/user.js';
import { formatFingerprint } from '../../domain/audit-anchor.js';
import type { Language } from '../../domain/i18n/languages.js';
import { dueDateOn, type Extension, overdueOn } from '../../domain/reporting/compliance.js';
import { periodEnd, type ReportPeriod } from '../../domain/reporting/period.js';
import { verifyAuditChain } from '../audit/verify.js';
import type { ServiceContext } from '../context.js';
import { currentProfile } from '../organisation/profile.js';
import { type ComplianceReport, renderComplianceReportPdf } from './compliance-report-pdf.js';

export type { ComplianceReport } from './compliance-report-pdf.js';

/** The audit actions that are exceptions an auditor asks about (each carries HR's reason). */
const EXCEPTION_ACTIONS = ['assignment.extended', 'attempts.granted'] as const;

type Person = Pick<
  AssignmentDoc,
  'userId' | 'courseId' | 'name' | 'email' | 'department' | 'assignedAt' | 'cycleNo'
> & {
  /** When they left (null: still here): the report names leavers, so a past period never changes. */
  leftAt: Date | null;
};

type Stored = Omit<Person, 'leftAt'> & Pick<AssignmentDoc, 'active' | 'updatedAt'>;

/**
 * Assignments started before the period ended and not ended before it began, leavers' included, in
 * the department when one is asked for. A leaver left on their `leftAt`; else (an assignment ended
 * otherwise) on its last update, when it was made inactive: the sweep does not write inactive ones.
 */
async function assignedPeople(
  models: Models,
  period: ReportPeriod,
  department: string | null,
): Promise<Person[]> {
  const stored = await models.Assignment.find(
    { assignedAt: { $lt: periodEnd(period) }, ...(department === null ? {} : { department }) },
    {
      userId: 1,
      courseId: 1,
      name: 1,
      email: 1,
      department: 1,
      assignedAt: 1,
      cycleNo: 1,
      active: 1,
      updatedAt: 1,
    },
  ).lean<Stored[]>();
  // Assignments written before names were copied onto them, and leavers: look those people up.
  const lookUp = [...new Set(stored.filter((p) => !p.name || !p.active).map((p) => p.userId))];
  const users =
    lookUp.length > 0
      ? await models.User.find({ _id: { $in: lookUp } }, { name: 1, email: 1, leftAt: 1 }).lean<UserDoc[]>()
      : [];
  const byId = new Map(users.map((u) => [u._id, u]));
  const people: Person[] = [];
  for (const { active, updatedAt, ...p } of stored) {
    const user = byId.get(p.userId);
    const leftAt = active ? null : (user?.leftAt ?? updatedAt ?? null);
    if (leftAt && leftAt < period.from) continue;
    people.push({
      ...p,
      name: p.name || (user?.name ?? p.userId),
      email: p.name ? p.email : (user?.email ?? ''),
      leftAt,
    });
  }
  return people.sort((a, b) => a.name.localeCompare(b.name) || a.email.localeCompare(b.email));
}

const key = (userId: string, courseId: string) => `${userId}:${courseId}`;

function extensionOf(e: AuditEventDoc): Extension & { key: string } {
  const d = e.details as { courseId: string; cycleNo: number; from: Date | string | null; to: Date | string };
  return {
    key: key(e.subjectId ?? '', d.courseId),
    at: e.at,
    cycleNo: d.cycleNo,
    from: d.from ? new Date(d.from) : null,
    to: new Date(d.to),
  };
}

/** Up to this many people, their cycles are read by `_id`; beyond it one scan of the cycles is quicker. */
const CYCLES_BY_ID_LIMIT = 2000;

/** A department's cycles by `_id` (1 to each person's current cycle), or every cycle for a large report. */
function cyclesOf(byKey: Map<string, Person>): { _id?: { $in: string[] } } {
  if (byKey.size > CYCLES_BY_ID_LIMIT) return {};
  const ids: string[] = [];
  for (const p of byKey.values())
    for (let n = 1; n <= p.cycleNo; n += 1) ids.push(cycleKey(p.userId, p.courseId, n));
  return { _id: { $in: ids } };
}

/** Who was overdue at `asAt`: cycles open then, past the due date in force then. */
async function overdueAt(
  models: Models,
  byKey: Map<string, Person>,
  extensions: AuditEventDoc[],
  asAt: Date,
) {
  const cycles = await models.Cycle.find(
    { ...cyclesOf(byKey), openedAt: { $lt: asAt }, dueAt: { $ne: null } },
    { userId: 1, courseId: 1, n: 1, openedAt: 1, dueAt: 1, completedAt: 1 },
  ).lean<CycleDoc[]>();
  const parsed = extensions.map(extensionOf);
  const rows: ComplianceReport['courses'][number]['overdue'] = [];
  for (const c of cycles) {
    const person = byKey.get(key(c.userId, c.courseId));
    // Someone who had left by then was no longer overdue.
    if (!person || (person.leftAt && person.leftAt <= asAt)) continue;
    const due = dueDateOn(
      c.dueAt,
      c.n,
      parsed.filter((e) => e.key === key(c.userId, c.courseId)),
      asAt,
    );
    if (overdueOn(c, due, asAt)) rows.push({ ...person, courseId: c.courseId, dueAt: due! });
  }
  return rows.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || a.name.localeCompare(b.name));
}

/**
 * Everything the compliance report says, read from the records: assignments, certificates (who
 * completed which policy version when), cycles and the due-date extensions after the period (who
 * was overdue at its end, against the deadline in force then), the exceptions HR granted in it,
 * and the whole audit log verified, with the fingerprint of the last event it verified intact.
 */
export async function complianceReportData(
  ctx: Pick<ServiceContext, 'models' | 'courses'>,
  input: { period: ReportPeriod; department: string | null; publicKey: KeyObject | null; now: Date },
): Promise<ComplianceReport> {
  const { models } = ctx;
  const { period, department, now } = input;
  const end = periodEnd(period);
  const asAt = new Date(Math.min(end.getTime(), now.getTime()));
  const people = await assignedPeople(models, period, department);
  const byKey = new Map(people.map((p) => [key(p.userId, p.courseId), p]));
  const events = await models.AuditEvent.find({
    action: { $in: EXCEPTION_ACTIONS },
    at: { $gte: period.from },
  })
    .sort({ seq: 1 })
    .lean<AuditEventDoc[]>();
  const certificates = await models.Certificate.find({ completedAt: { $gte: period.from, $lt: end } })
    .sort({ completedAt: 1 })
    .lean<CertificateDoc[]>();
  const overdue = await overdueAt(
    models,
    byKey,
    events.filter((e) => e.action === 'assignment.extended'),
    asAt,
  );
  const exceptions = await exceptionRows(
    models,
    byKey,
    events.filter((e) => e.at < end),
  );
  const verified = await verifyAuditChain(models, { publicKey: input.publicKey, now });
  const courses = [...ctx.courses.values()].map((course) => ({
    courseId: course.id,
    title: course.title,
    assigned: people.filter((p) => p.courseId === course.id),
    completed: certificates
      .filter((c) => c.courseId === course.id && byKey.has(key(c.userId, c.courseId)))
      .map((c) => ({ ...byKey.get(key(c.userId, c.courseId))!, certificate: c })),
    overdue: overdue.filter((o) => o.courseId === course.id),
    exceptions: exceptions.filter((e) => e.courseId === course.id),
  }));
  return {
    period,
    department,
    generatedAt: now,
    overdueAsAt: asAt,
    periodEnded: end <= now,
    courses: courses.filter((c) => c.assigned.length + c.completed.length + c.exceptions.length > 0),
    // From the verification's own end: a chain end read separately could be a later event, or one after a break.
    audit: { ...verified, fingerprint: formatFingerprint(verified.end) },
  };
}

/** Extensions and extra attempts granted in the period to the people in the report, with who granted them. */
async function exceptionRows(models: Models, byKey: Map<string, Person>, events: AuditEventDoc[]) {
  const mine = events.filter((e) => byKey.has(key(e.subjectId ?? '', String(e.details.courseId))));
  const actorIds = [...new Set(mine.map((e) => e.actorId).filter((id): id is string => id !== null))];
  const actors = await models.User.find({ _id: { $in: actorIds } }, { name: 1 }).lean<UserDoc[]>();
  const actorName = new Map(actors.map((a) => [a._id, a.name]));
  return mine.map((e) => {
    const courseId = String(e.details.courseId);
    // HR's reason is personal data: kept in the event's erasable personal part where the log has one.
    const personal = (e as { personal?: Record<string, unknown> | null }).personal ?? {};
    return {
      ...byKey.get(key(e.subjectId ?? '', courseId))!,
      courseId,
      at: e.at,
      action: e.action,
      details: e.details,
      reason: typeof personal.reason === 'string' ? personal.reason : String(e.details.reason ?? ''),
      // Empty: the system granted it (the PDF says so in its language).
      grantedBy: e.actorId ? (actorName.get(e.actorId) ?? e.actorId) : '',
    };
  });
}

/** The compliance report as a PDF, audited as `report.compliance.exported` (who took which period away). */
export async function complianceReportPdf(
  ctx: ServiceContext,
  input: {
    actorId: string;
    period: ReportPeriod;
    department: string | null;
    publicKey: KeyObject | null;
    now: Date;
    compress?: boolean;
    /** The requesting HR person's language: the PDF is written in it (English when absent). */
    lang?: Language;
  },
): Promise<Buffer> {
  const report = await complianceReportData(ctx, input);
  const issuer = (await currentProfile(ctx)).name;
  const pdf = await renderComplianceReportPdf(report, {
    issuer,
    compress: input.compress,
    ...(input.lang ? { lang: input.lang } : {}),
  });
  await ctx.audit.append(
    {
      actorId: input.actorId,
      action: 'report.compliance.exported',
      targetType: 'report',
      targetId: 'compliance',
      subjectId: null,
      details: {
        from: report.period.from.toISOString().slice(0, 10),
        to: report.period.to.toISOString().slice(0, 10),
        department: input.department,
        fingerprint: report.audit.fingerprint,
        auditOk: report.audit.ok,
      },
    },
    input.now,
  );
  return pdf;
}
