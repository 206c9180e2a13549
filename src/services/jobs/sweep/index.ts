import { driverCollection } from '../../../db/driver-collection.js';
import { readAhead } from '../../../db/read-ahead.js';
import { SummaryTally } from '../../../domain/reporting.js';
import { mailOrganisation } from '../../../mail/templates.js';
import { loadAllSettings } from '../../assignments/course-settings.js';
import type { ServiceContext } from '../../context.js';
import { currentProfile } from '../../organisation/profile.js';
import { namesIn, unnamedPeople } from '../../reporting/lists.js';
import { storedLists, writeSummaries } from '../../reporting/summaries.js';
import { BatchWriter, type WrittenBatches } from './batch-writer.js';
import { PeopleCache } from './people-cache.js';
import { PROJECTION, planBatch, type SweepAssignment } from './plan.js';

export interface SweepReport {
  assignments: number;
  stateChanges: number;
  cyclesOpened: number;
  remindersSent: number;
  remindersAlreadySent: number;
  /** People looked up by `_id` for the reminders and for newcomers to the action lists. */
  peopleLookedUp: number;
  /** Where the time went: the pass over the assignments, the writes (with the lookups), the summaries. */
  passMs: number;
  writeMs: number;
  summaryMs: number;
  /** The hour this sweep anchored the audit chain for (null: already anchored this hour). */
  auditAnchor: string | null;
  ms: number;
}

type StoredLists = Awaited<ReturnType<typeof storedLists>>;

/** Assignments per cursor batch (and per planned batch of writes). */
const BATCH = 1000;

/**
 * One pass of the refresher job at `now`. Streams the assignments once (never loads them all),
 * and for each: recomputes the summary state, opens the next cycle when a recertification window
 * opens (or HR asked everyone to renew), plans the reminders that are due, and counts it for the
 * report summary with the state it will have. Each batch's plan is written while the next batches
 * are read: cycles, states, reminders (each exactly once: its unique key is inserted before the
 * send, and a duplicate key means another sweep owns it); then the mail, and the summaries. Two
 * sweeps at once, a crash and restart, or a repeated run never send a reminder twice. Slow,
 * slow-moving work (clause rollup, new-hire catch-up, session clean-up, weekly digest) is the
 * nightly job's (services/jobs/nightly.ts). The first sweep of each UTC hour also writes the hour's
 * signed audit anchor (services/audit/log.ts).
 *
 * The steps, in this order:
 *  1. the hour's audit anchor (first, so the hour gets it even if the pass fails);
 *  2. the pass: plan each batch, count it, queue its writes (cycles before states);
 *  3. every batch written, while the stored action lists are read and their newcomers looked up;
 *  4. the mail, after all batches (a message never points at a missing cycle);
 *  5. the summaries, from the states the pass computed.
 */
export async function runSweep(
  ctx: ServiceContext,
  {
    now,
    batchSize = BATCH,
    checkLease = () => {},
  }: {
    now: Date;
    batchSize?: number;
    /** The job lease's check (services/jobs/lease.ts): throws once this sweep may no longer write. */
    checkLease?: () => void;
  },
): Promise<SweepReport> {
  const started = Date.now();
  const anchor = await ctx.audit.anchor(now); // 1.
  const people = new PeopleCache(ctx.models);
  const pass = await passOverAssignments(ctx, people, { now, batchSize, checkLease }); // 2.
  const passMs = Date.now() - started;
  const { stored, written } = await finishWrites(ctx, pass, people); // 3.
  await ctx.mailer.sendMany(written.mails, now); // 4.
  const writeMs = Date.now() - started - passMs;
  checkLease();
  const summary = await summarise(ctx, pass, people, { stored, now, started }); // 5.
  const ms = Date.now() - started;
  return {
    assignments: pass.assignments,
    stateChanges: pass.stateChanges,
    cyclesOpened: written.cyclesOpened,
    remindersSent: written.mails.length,
    remindersAlreadySent: written.remindersAlreadySent,
    peopleLookedUp: people.lookups + summary.lookedUp,
    passMs,
    writeMs,
    summaryMs: ms - passMs - writeMs,
    auditAnchor: anchor?.created ? anchor.hour : null,
    ms,
  };
}

/** What the pass read and planned; its writes may still be running in `writer`. */
interface Pass {
  assignments: number;
  stateChanges: number;
  tally: SummaryTally;
  writer: BatchWriter;
}

/**
 * The one streaming pass: the driver's own cursor (no per-document mongoose work), reading the
 * next batch ahead. Each batch's writes run while the cursor reads on: with the `_id` index fix,
 * FerretDB takes writes during a scan without stalling (measured: 2,000 updates in 1 s during a
 * 30,000-document scan).
 */
async function passOverAssignments(
  ctx: ServiceContext,
  people: PeopleCache,
  { now, batchSize, checkLease }: { now: Date; batchSize: number; checkLease: () => void },
): Promise<Pass> {
  const rules = { courses: ctx.courses, settings: await loadAllSettings(ctx.models, ctx.courses, now) };
  const pass: Pass = {
    assignments: 0,
    stateChanges: 0,
    tally: new SummaryTally(ctx.courses.keys()),
    writer: new BatchWriter({ ...ctx, org: mailOrganisation(await currentProfile(ctx)) }, people, checkLease),
  };
  const cursor = driverCollection(ctx.models.Assignment).find<SweepAssignment>(
    {},
    { projection: PROJECTION, batchSize },
  );
  try {
    for await (const batch of readAhead(cursor)) {
      pass.writer.throwIfFailed();
      const planned = planBatch(rules, batch, now);
      pass.assignments += batch.length;
      pass.stateChanges += planned.stateChanges;
      for (const a of planned.counted) pass.tally.add(a);
      pass.writer.add(planned.work);
    }
  } catch (err) {
    // No writes left running behind a failed sweep (the next one could overlap them).
    await pass.writer.finish().catch(() => {});
    throw err;
  }
  return pass;
}

/**
 * Waits for every batch's writes; meanwhile the stored action lists are read and the people new
 * to them looked up (the lists reuse the names they already show).
 */
async function finishWrites(
  ctx: ServiceContext,
  pass: Pass,
  people: PeopleCache,
): Promise<{ stored: StoredLists; written: WrittenBatches }> {
  const lists = storedLists(ctx.models, ctx.courses).then(async (stored) => {
    await people.load(unnamedPeople(pass.tally.pending(), namesIn(stored)));
    return stored;
  });
  const [stored, written] = await Promise.all([lists, pass.writer.finish()]);
  return { stored, written };
}

/** The summaries and action lists, from the pass's tally; list names as stored, plus the people read. */
async function summarise(
  ctx: ServiceContext,
  pass: Pass,
  people: PeopleCache,
  { stored, now, started }: { stored: StoredLists; now: Date; started: number },
): Promise<{ lookedUp: number }> {
  const names = namesIn(stored);
  for (const [id, n] of people.names()) names.set(id, n);
  return writeSummaries(ctx.models, pass.tally, { now, started, names, stored });
}
