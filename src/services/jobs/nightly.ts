import { driverCollection } from '../../db/driver-collection.js';
import { insertManyOnce } from '../../db/insert-once.js';
import { assignmentKey, jobMarkerKey, reminderKey } from '../../db/keys.js';
import type { AssignmentRuleDoc } from '../../db/models/hr.js';
import type { Models } from '../../db/models/index.js';
import type { ReportListChunkDoc, ReportSummaryDoc } from '../../db/models/reporting.js';
import { readAhead } from '../../db/read-ahead.js';
import { findManyById } from '../../db/repositories/by-id.js';
import { sessionsRepository } from '../../db/session-store.js';
import { catchesLater, matchesTarget } from '../../domain/assignment-rules.js';
import { dayKey, utcDay } from '../../domain/dates.js';
import type { Language } from '../../domain/i18n/languages.js';
import { digestWeek } from '../../domain/reminders.js';
import { countByState } from '../../domain/reporting.js';
import {
  type DigestAuditEnd,
  type DigestCourseLine,
  digestMessage,
  type MessageBody,
  mailOrganisation,
  recipientLanguage,
} from '../../mail/templates.js';
import { type AssignPerson, activeRules, applyRulesTo } from '../assignments/assignments.js';
import { loadAllSettings } from '../assignments/course-settings.js';
import { auditChainEnd } from '../audit/log.js';
import type { ServiceContext } from '../context.js';
import { pruneSignInThrottle } from '../identity/login-throttle.js';
import { pruneUsedCodes } from '../identity/sso/used-codes.js';
import { RecentEvents, repairClauseMemories } from '../learning/mastery-repair.js';
import { currentProfile } from '../organisation/profile.js';
import { applyRetention, type RetentionReport } from '../privacy/retention.js';
import { CourseItemTallies, storeItemStats } from '../reporting/item-stats.js';
import { storeMasterySnapshots } from '../reporting/knowledge.js';
import { readStoredLists } from '../reporting/lists.js';
import { rollUpClauseMisses, storeClauseMisses, storedSummaries } from '../reporting/summaries.js';
import { recountXapiBacklog } from '../xapi/backlog-summary.js';

export interface NightlyReport {
  /** The UTC day the run belongs to. */
  day: string;
  /** False when this day's nightly work was already done (another instance, or an earlier run). */
  ran: boolean;
  /** Quiz results and example answers counted for the clause report. */
  clauseAnswers: number;
  /** Graded attempts counted for the item statistics (one document per question written). */
  itemStatsAttempts: number;
  /** How long writing the item statistics took (they are counted in the clause report's pass). */
  itemStatsMs: number;
  /** Clause memories counted into this quarter's mastery snapshots; past quarters backfilled (issue #23). */
  masteryMemories: number;
  masteryBackfilled: string[];
  /** How long the mastery snapshots took (a pass over the clause memories, plus any backfill). */
  masteryMs: number;
  /** Learners whose clause memory missed an event graded since the previous run, rebuilt (mastery-repair.ts). */
  masteryRepaired: number;
  assignedByRules: number;
  /** Action-list rows whose name or e-mail changed since they were stored. */
  listRowsRenamed: number;
  sessionsDeleted: number;
  /** Used SSO authorization code records past their bound, deleted. */
  ssoCodesPruned: number;
  /** Sign-in throttle records whose window or forget period had passed, deleted. */
  throttleRecordsPruned: number;
  /** The xAPI outbox recounted into its summary document (heals any drift of its $inc counts). */
  xapiPending: number;
  xapiRejected: number;
  /** The hour this run anchored the audit chain for (null: a sweep anchored this hour already). */
  auditAnchor: { hour: string; seq: number } | null;
  digestsSent: number;
  /** The retention rules applied this run (services/privacy/retention.ts); null when the day had run. */
  retention: RetentionReport | null;
  ms: number;
}

const BATCH = 1000;
/**
 * Checking a candidate's assignment by `_id` costs about as much as streaming six assignments, so
 * with more candidates than a sixth of the people, one pass over the assignments is cheaper.
 */
const LOOKUPS_PER_SCAN = 6;

interface PersonRow extends AssignPerson {
  name: string;
  email: string;
  role: string;
  /** The person's language ('' = not chosen): the digest's language. */
  locale?: string;
}

/** What the one pass over the people found. */
interface PeoplePass {
  scanned: number;
  /** Active people some rule would catch, if they have no assignment for its course yet. */
  candidates: AssignPerson[];
  /** Current names of the people in the stored action lists. */
  names: Map<string, { name: string; email: string }>;
  /** Active HR and admin people (the digest's recipients), with their chosen language. */
  hr: Array<{ _id: string; email: string; locale?: string }>;
}

/**
 * The nightly job at `now`: the slow, slow-moving work the 15-minute sweep must not do at scale,
 * once per UTC day (a day marker, inserted first, makes exactly one run do it, across instances).
 *  - first, the retention rules (services/privacy/retention.ts): leavers past the records period
 *    pseudonymised, old quiz answers, sessions and outbox mails removed, one audit event;
 *  - the clause report: one pass over quiz results and example answers into the summaries;
 *  - item statistics, counted in the same pass over the quiz results, into a document per
 *    question (reporting/item-stats.ts), for HR's page on how each question performs;
 *  - the quarter's clause-by-department mastery snapshot (reporting/knowledge.ts), and past
 *    quarters' snapshots backfilled by replaying history where they are missing;
 *  - rules catch people who have no assignment yet (added later, moved department, or hired
 *    recently); HR forms and imports apply rules at once, this is the safety net and the clock
 *    for "new hires within N days";
 *  - current names in the stored action lists (the sweep reuses them and looks up only newcomers);
 *  - expired sessions deleted (the session store already refuses them), used SSO
 *    authorization codes older than a day (identity/sso/used-codes.ts), and sign-in throttle
 *    records that no longer count (identity/login-throttle.ts);
 *  - the hour's signed audit anchor, if the sweep has not written it (services/audit/log.ts);
 *  - the weekly HR digest, from the summaries the sweep keeps current, with that anchor's
 *    fingerprint (a copy outside the database and the key).
 * Everything that needs the people comes from ONE pass over them. Reads first, each cursor closed,
 * then writes (simple to reason about; the writes are few).
 */
export async function runNightly(ctx: ServiceContext, { now }: { now: Date }): Promise<NightlyReport> {
  const started = Date.now();
  const { models } = ctx;
  const day = dayKey(utcDay(now));
  const report: NightlyReport = {
    day,
    ran: false,
    clauseAnswers: 0,
    itemStatsAttempts: 0,
    itemStatsMs: 0,
    masteryMemories: 0,
    masteryBackfilled: [],
    masteryMs: 0,
    masteryRepaired: 0,
    assignedByRules: 0,
    listRowsRenamed: 0,
    sessionsDeleted: 0,
    ssoCodesPruned: 0,
    throttleRecordsPruned: 0,
    xapiPending: 0,
    xapiRejected: 0,
    auditAnchor: null,
    digestsSent: 0,
    retention: null,
    ms: 0,
  };
  if (!(await claim(models, 'nightly', day, now))) {
    report.ms = Date.now() - started;
    return report;
  }
  report.ran = true;
  // First: everything read below (people, action lists) then sees leavers already pseudonymised.
  report.retention = await applyRetention(ctx, { now });

  // Reads.
  const settings = await loadAllSettings(models, ctx.courses, now);
  // The item statistics and the memory repair's recent results ride on the clause report's pass
  // over the quiz results.
  const items = new CourseItemTallies(ctx.courses.keys());
  const recent = new RecentEvents(ctx.courses, await previousRunAt(models, now), now);
  const rollup = await rollUpClauseMisses(models, ctx.courses, (r) => {
    items.add(r);
    recent.addResult(r);
  });
  const summaries = await storedSummaries(models, ctx.courses);
  const chunks = [...(await readStoredLists(models, summaries)).chunks.values()];
  const rules = (await activeRules(models)).filter((r) => ctx.courses.has(r.courseId));
  const people = await passOverPeople(models, rules, listedPeople(chunks), now);
  const assigned = await existingAssignments(models, rules, people);

  // Writes.
  report.clauseAnswers = rollup.answers;
  await storeClauseMisses(models, rollup, now);
  const itemsStarted = Date.now();
  report.itemStatsAttempts = (await storeItemStats(ctx, { tallies: items, now })).attempts;
  report.itemStatsMs = Date.now() - itemsStarted;
  const masteryStarted = Date.now();
  // Repaired first, so the snapshot counts the repaired memories.
  report.masteryRepaired = (await repairClauseMemories(ctx, { recent })).rebuilt;
  const mastery = await storeMasterySnapshots(ctx, { now });
  report.masteryMemories = mastery.memories;
  report.masteryBackfilled = mastery.backfilled;
  report.masteryMs = Date.now() - masteryStarted;
  for (let i = 0; i < people.candidates.length; i += BATCH) {
    const batch = people.candidates.slice(i, i + BATCH);
    report.assignedByRules += await applyRulesTo(ctx, {
      rules,
      people: batch,
      now,
      has: (id) => assigned.has(id),
    });
  }
  report.listRowsRenamed = await renameListRows(models, chunks, people.names);
  report.sessionsDeleted = await sessionsRepository(models).deleteExpired(now);
  report.ssoCodesPruned = await pruneUsedCodes(models, now);
  report.throttleRecordsPruned = await pruneSignInThrottle(ctx, { now });
  // After retention deleted old outbox rows: the one scan of the outbox a day (#27, review 27-5).
  const xapi = await recountXapiBacklog(ctx, { now });
  report.xapiPending = xapi.pending;
  report.xapiRejected = xapi.rejected;
  const lines = [...ctx.courses.values()]
    .filter((c) => !settings.get(c.id)?.retired)
    .map((c) => ({ title: c.title, counts: stateCounts(summaries.find((s) => s.courseId === c.id)) }));
  const anchored = await ctx.audit.anchor(now);
  report.auditAnchor = anchored?.created ? { hour: anchored.hour, seq: anchored.seq } : null;
  report.digestsSent = await sendWeeklyDigest(
    ctx,
    lines,
    people.hr,
    anchored ?? { ...(await auditChainEnd(models)), keyId: null },
    now,
  );
  report.ms = Date.now() - started;
  return report;
}

/** Days back the memory repair looks for the previous run's marker (by `_id`, one read a day). */
const REPAIR_LOOKBACK_DAYS = 7;
/** Slack before the previous run: an event is dated when it was graded, written a moment later. */
const REPAIR_SLACK_MS = 60 * 60_000;

/**
 * When the previous nightly run started (its day marker, looked up by `_id` for the last week),
 * less an hour of slack; a week and a day ago when none is found.
 */
async function previousRunAt(models: Models, now: Date): Promise<Date> {
  const today = utcDay(now);
  for (let back = 1; back <= REPAIR_LOOKBACK_DAYS; back += 1) {
    const day = dayKey(new Date(today.getTime() - back * 86_400_000));
    const marker = await models.Reminder.findById(jobMarkerKey('nightly', day), { createdAt: 1 }).lean<{
      createdAt: Date;
    }>();
    if (marker) return new Date(marker.createdAt.getTime() - REPAIR_SLACK_MS);
  }
  return new Date(today.getTime() - (REPAIR_LOOKBACK_DAYS + 1) * 86_400_000);
}

/** Inserts the job's marker for the period; true when this run inserted it (owns the work), false when it existed. */
async function claim(models: Models, kind: string, day: string, now: Date): Promise<boolean> {
  const marker = {
    _id: jobMarkerKey(kind, day),
    userId: 'system',
    courseId: '-',
    cycleNo: 0,
    kind,
    day,
    createdAt: now,
  };
  return (await insertManyOnce(models.Reminder, [marker])).size === 1;
}

function listedPeople(chunks: ReportListChunkDoc[]): Set<string> {
  const ids = new Set<string>();
  for (const c of chunks) {
    for (const r of c.rows) {
      ids.add(r.userId);
      if (r.managerId) ids.add(r.managerId);
    }
  }
  return ids;
}

/** One streaming pass over everyone: rule candidates, the listed people's names, the HR recipients. */
async function passOverPeople(
  models: Models,
  rules: AssignmentRuleDoc[],
  listed: Set<string>,
  now: Date,
): Promise<PeoplePass> {
  const pass: PeoplePass = { scanned: 0, candidates: [], names: new Map(), hr: [] };
  const cursor = driverCollection(models.User).find<PersonRow>(
    {},
    {
      projection: {
        name: 1,
        email: 1,
        role: 1,
        department: 1,
        active: 1,
        hireDate: 1,
        managerId: 1,
        region: 1,
        locale: 1,
      },
      batchSize: BATCH,
    },
  );
  for await (const batch of readAhead(cursor))
    for (const person of batch) notePerson(pass, person, rules, listed, now);
  return pass;
}

/** What one person means for the nightly work: a list name, a digest recipient, a rule candidate. */
function notePerson(
  pass: PeoplePass,
  person: PersonRow,
  rules: AssignmentRuleDoc[],
  listed: Set<string>,
  now: Date,
): void {
  pass.scanned += 1;
  if (listed.has(person._id)) pass.names.set(person._id, { name: person.name, email: person.email });
  if (!person.active) return;
  if (person.role === 'hr' || person.role === 'admin')
    pass.hr.push({ _id: person._id, email: person.email, locale: person.locale ?? '' });
  if (rules.some((r) => matchesTarget(r.target, person) && catchesLater(r.newHireWithinDays, person, now)))
    pass.candidates.push({
      _id: person._id,
      department: person.department,
      active: person.active,
      hireDate: person.hireDate ?? null,
      managerId: person.managerId ?? null,
      name: person.name,
      email: person.email,
      region: person.region ?? null,
    });
}

/**
 * Which of the candidates' assignments (`<userId>:<courseId>`) exist already. A few candidates
 * (new hires within N days): each checked by `_id`. Many (a rule for everyone): one pass over the
 * assignments' keys. Read before anything is written.
 */
async function existingAssignments(
  models: Models,
  rules: AssignmentRuleDoc[],
  people: PeoplePass,
): Promise<Set<string>> {
  const wanted = new Set<string>();
  for (const p of people.candidates) for (const r of rules) wanted.add(assignmentKey(p._id, r.courseId));
  const found = new Set<string>();
  if (wanted.size === 0) return found;
  if (wanted.size * LOOKUPS_PER_SCAN <= people.scanned) {
    const existing = await findManyById<{ _id: string }>(models.Assignment, wanted, { _id: 1 });
    return new Set(existing.map((a) => a._id));
  }
  const cursor = driverCollection(models.Assignment).find({}, { projection: { _id: 1 }, batchSize: BATCH });
  for await (const batch of readAhead(cursor)) for (const a of batch) if (wanted.has(a._id)) found.add(a._id);
  return found;
}

/** Rewrites the stored list chunks whose people changed name or e-mail; returns the rows changed. */
async function renameListRows(
  models: Models,
  chunks: ReportListChunkDoc[],
  names: Map<string, { name: string; email: string }>,
): Promise<number> {
  let renamed = 0;
  for (const chunk of chunks) {
    let changed = 0;
    const rows = chunk.rows.map((r) => {
      const person = names.get(r.userId);
      const manager = r.managerId ? names.get(r.managerId) : undefined;
      const next = {
        ...r,
        name: person?.name ?? r.name,
        email: person?.email ?? r.email,
        managerName: manager?.name ?? r.managerName,
      };
      if (next.name !== r.name || next.email !== r.email || next.managerName !== r.managerName) changed += 1;
      return next;
    });
    if (changed === 0) continue;
    // Only the chunk as read: a sweep that rewrote it since then wrote other rows (and a new asOf).
    const res = await models.ReportListChunk.updateOne(
      { _id: chunk._id, asOf: chunk.asOf ?? null },
      { $set: { rows } },
    );
    if (res.matchedCount === 1) renamed += changed;
  }
  return renamed;
}

/** People per state in a course's summary (none before its first sweep). */
function stateCounts(summary: ReportSummaryDoc | undefined): Record<string, number> {
  if (!summary) return {};
  const { total: _total, other: _other, ...counts } = countByState(summary.cells, {});
  return counts;
}

/**
 * The weekly HR digest: one per HR person per week (Monday-based, UTC), each claimed like a
 * reminder, with the counts of the summaries the sweep keeps current.
 */
async function sendWeeklyDigest(
  ctx: ServiceContext,
  lines: DigestCourseLine[],
  hr: PeoplePass['hr'],
  auditEnd: DigestAuditEnd,
  now: Date,
): Promise<number> {
  const week = digestWeek(now);
  if (!(await claim(ctx.models, 'digest', week, now))) return 0;
  const org = mailOrganisation(await currentProfile(ctx));
  // One body per language: each recipient reads the digest in theirs (recipientLanguage).
  const bodies = new Map<string, MessageBody>();
  const bodyIn = (lang: Language) => {
    let body = bodies.get(lang);
    if (!body) {
      body = digestMessage(week, lines, `${ctx.baseUrl}/hr/dashboard`, auditEnd, org, lang);
      bodies.set(lang, body);
    }
    return body;
  };
  let sent = 0;
  for (const person of hr) {
    const body = bodyIn(recipientLanguage(person, org));
    const id = reminderKey(person._id, 'all', 0, { kind: 'digest', day: week });
    const claimed = await insertManyOnce(ctx.models.Reminder, [
      { _id: id, userId: person._id, courseId: 'all', cycleNo: 0, kind: 'digest', day: week, createdAt: now },
    ]);
    if (claimed.size === 0) continue;
    await ctx.mailer.send({ id, to: [person.email], cc: [], ...body, kind: 'digest', reminderId: id }, now);
    sent += 1;
  }
  return sent;
}
