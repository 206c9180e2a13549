import { randomBytes } from 'node:crypto';
import type { BulkJobDoc } from '../../db/models/bulk-job.js';
import { claimOnceOrTakeOver } from '../../db/once-claims.js';
import { peopleDirectory } from '../../db/people-directory.js';
import type { FieldError } from '../../domain/assignment-rules.js';
import { NotFound } from '../../domain/errors.js';
import {
  BULK_INLINE_MAX,
  BULK_STEP,
  type BulkAction,
  type BulkForm,
  type BulkParams,
  isInterrupted,
  listCourseOf,
  parseBulkForm,
} from '../../domain/people/bulk.js';
import { filterQuery, type PeopleFilters, type TrainingSummary } from '../../domain/people/list-filters.js';
import type { ServiceContext } from '../context.js';
import { exportCsv } from './bulk-export.js';
import { assignStep, type BulkStep, extendStep, remindStep, type StepContext } from './bulk-steps.js';
import { BY_ID_MAX, pickTraining, selectPeople, trainingOf } from './list-view.js';
import { DIRECTORY_MAX_AGE_MS } from './people.js';

/**
 * Bulk actions on people from HR's list: a preview stores exactly the people selected (ticked, or
 * everyone the filters match) and what they have assigned; the confirm runs the action on exactly
 * them, at once for a few hundred, in the background past BULK_INLINE_MAX with its progress on the
 * job document (the status page reads it by `_id`). A job left "running" by a restart is shown
 * as such; every step is idempotent, so HR can start the same action again.
 */

export type BulkJobView = Omit<BulkJobDoc, 'userIds'> & { interrupted?: boolean };

/** The background runs of this process, so tests and the bench can wait for one without polling. */
const running = new Map<string, Promise<void>>();

/**
 * The people a preview names (the ticked ones that exist, or everyone the filters select) and
 * their assignments to these courses: from the selection's own pass over the assignments when it
 * made one for every course (a state filter), else read for them.
 */
async function chosenPeople(
  ctx: ServiceContext,
  input: { filters: PeopleFilters; ids: readonly string[]; now: Date },
  courseIds: readonly string[],
): Promise<{ userIds: string[]; training: Map<string, TrainingSummary> | null }> {
  let userIds: string[];
  if (input.ids.length) {
    const everyone = await peopleDirectory(ctx.models).everyone(input.now.getTime(), DIRECTORY_MAX_AGE_MS);
    const known = new Set(everyone.map((h) => h.entry._id));
    userIds = [...new Set(input.ids)].filter((id) => known.has(id));
  } else {
    const selected = await selectPeople(ctx, input);
    userIds = selected.people.map((p) => p._id);
    if (selected.training && !input.filters.course)
      return { userIds, training: pickTraining(selected.training, userIds, courseIds) };
  }
  // A large selection the filters made without reading assignments is not counted per course:
  // a pass over every assignment would cost more than the preview may (the run counts who it skips).
  if (userIds.length * courseIds.length > BY_ID_MAX) return { userIds, training: null };
  return { userIds, training: await trainingOf(ctx.models, userIds, courseIds) };
}

/** Stores the preview of a bulk action and returns its id (the preview and status page's address). */
export async function previewBulk(
  ctx: ServiceContext,
  input: { actorId: string; action: BulkAction; filters: PeopleFilters; ids: readonly string[]; now: Date },
): Promise<{ jobId: string }> {
  const courseIds = [...ctx.courses.keys()];
  const { userIds, training } = await chosenPeople(ctx, input, courseIds);
  const courses = courseIds.map((courseId) => ({
    courseId,
    assigned: 0,
    open: 0,
    counted: training !== null,
  }));
  for (const a of training?.values() ?? []) {
    const c = courses.find((x) => x.courseId === a.courseId);
    if (!c || !a.active) continue;
    c.assigned += 1;
    if (a.state !== 'completed') c.open += 1;
  }
  const job: BulkJobDoc = {
    _id: randomBytes(12).toString('hex'),
    action: input.action,
    status: 'preview',
    createdBy: input.actorId,
    createdAt: input.now,
    filterQuery: filterQuery(input.filters),
    scope: input.ids.length ? 'selected' : 'filtered',
    userIds,
    total: userIds.length,
    courses,
    params: null,
    done: 0,
    changed: 0,
    skipped: 0,
    startedAt: null,
    finishedAt: null,
    error: null,
  };
  await ctx.models.BulkJob.create(job);
  return { jobId: job._id };
}

/** A job as its page shows it (without its list of people), and whether a restart cut it off. */
export async function bulkJob(
  ctx: ServiceContext,
  input: { jobId: string; now?: Date },
): Promise<BulkJobView> {
  const job = await ctx.models.BulkJob.findById(input.jobId, { userIds: 0 }).lean<BulkJobView>();
  if (!job) throw new NotFound('people.bulk.errors.noJob');
  return { ...job, interrupted: !!input.now && isInterrupted(job, input.now) };
}

const STEPS: Record<Exclude<BulkAction, 'export'>, (s: StepContext) => Promise<BulkStep>> = {
  assign: assignStep,
  remind: remindStep,
  extend: extendStep,
};

/** Runs the job's steps in order, keeping its progress on the job document. */
async function run(
  ctx: ServiceContext,
  job: BulkJobDoc,
  confirmed: { actorId: string; params: BulkParams; now: Date },
): Promise<void> {
  const { actorId, params, now } = confirmed;
  const Job = ctx.models.BulkJob;
  // Progress is stamped on the confirm's clock plus the time the run has taken (the run has no clock of its own).
  const wallStart = Date.now();
  const progressAt = () => new Date(now.getTime() + (Date.now() - wallStart));
  try {
    const step = await STEPS[job.action as keyof typeof STEPS]({
      ctx,
      jobId: job._id,
      actorId,
      params,
      now,
    });
    for (let i = 0; i < job.userIds.length; i += BULK_STEP) {
      const slice = job.userIds.slice(i, i + BULK_STEP);
      const r = await step(slice);
      await Job.updateOne(
        { _id: job._id },
        {
          $inc: { done: slice.length, changed: r.changed, skipped: r.skipped },
          $set: { progressAt: progressAt() },
        },
      );
    }
    await Job.updateOne({ _id: job._id }, { $set: { status: 'done', finishedAt: now } });
  } catch (err) {
    await Job.updateOne(
      { _id: job._id },
      {
        $set: {
          status: 'failed',
          // A catalogue key: the page shows it in the reader's language.
          error: 'people.bulk.errors.stopped',
        },
      },
    );
    throw err;
  }
}

export type ConfirmResult =
  | { ok: true; csv?: string }
  | { ok: false; errors: FieldError[]; job: BulkJobView };

/**
 * Confirms a previewed job with its form: checked (domain `parseBulkForm`), claimed (only a job
 * still in preview starts: a second click changes nothing), then run on behalf of whoever confirmed
 * it (the audit's actor). Export answers the CSV.
 */
export async function confirmBulk(
  ctx: ServiceContext,
  input: { jobId: string; actorId: string; form: BulkForm; now: Date; onBackgroundError?: OnError },
): Promise<ConfirmResult> {
  const job = await ctx.models.BulkJob.findById(input.jobId).lean<BulkJobDoc>();
  if (!job) throw new NotFound('people.bulk.errors.noJob');
  const action = job.action as BulkAction;
  if (job.status !== 'preview') return restartBulk(ctx, job, input);
  // A form without a course choice (not the form's own "every course") means the list's course.
  const form = { ...input.form, courseId: input.form.courseId ?? listCourseOf(job.filterQuery) };
  const parsed = parseBulkForm(action, form, {
    courseExists: (id) => ctx.courses.has(id),
    now: input.now,
  });
  if ('errors' in parsed) {
    const { userIds: _, ...view } = job;
    return { ok: false, errors: parsed.errors, job: view };
  }
  // Claimed by a unique insert: a second confirm, even racing in another instance, changes nothing.
  if (!(await claimRun(ctx, job._id, 1, input.now))) return { ok: true };
  await ctx.models.BulkJob.updateOne(
    { _id: job._id },
    {
      $set: {
        status: 'running',
        params: parsed.params,
        startedAt: input.now,
        progressAt: input.now,
        runs: 1,
      },
    },
  );
  if (action === 'export') {
    const csv = await exportCsv(ctx, {
      jobId: job._id,
      actorId: input.actorId,
      userIds: job.userIds,
      now: input.now,
    });
    await ctx.models.BulkJob.updateOne(
      { _id: job._id },
      { $set: { status: 'done', done: job.total, changed: job.total, finishedAt: input.now } },
    );
    return { ok: true, csv };
  }
  return start(
    ctx,
    job,
    { actorId: input.actorId, params: parsed.params, now: input.now },
    input.onBackgroundError,
  );
}

/** A run claim older than this whose job still shows the run before it is taken for a claimant that died. */
const ABANDONED_CLAIM_MS = 60_000;

/**
 * Claims run `run` of a job (`bulk-job:<id>:<run>`): of racing confirms or restarts exactly one
 * goes on. Its claimant writes the job's `runs` right after; a claim still not followed by that
 * write a minute later (the process died, or the write threw) is taken over. Without this the job
 * stayed in preview or stopped for good, and every confirm did nothing (review 31b-3).
 */
function claimRun(ctx: ServiceContext, jobId: string, run: number, now: Date): Promise<boolean> {
  return claimOnceOrTakeOver(ctx.models, `bulk-job:${jobId}:${run}`, now, {
    abandonedAfterMs: ABANDONED_CLAIM_MS,
    stillUndone: async () => {
      const stored = await ctx.models.BulkJob.findById(jobId, { runs: 1 }).lean<Pick<BulkJobDoc, 'runs'>>();
      return stored !== null && (stored.runs ?? 0) < run;
    },
  });
}

type OnError = (err: unknown, jobId: string) => void;

/** Runs a claimed job: at once for a few hundred people, else in the background (a failure logged). */
async function start(
  ctx: ServiceContext,
  job: BulkJobDoc,
  confirmed: { actorId: string; params: BulkParams; now: Date },
  onBackgroundError: OnError = () => {},
): Promise<ConfirmResult> {
  const work = run(ctx, job, confirmed);
  if (job.total <= BULK_INLINE_MAX) {
    await work;
    return { ok: true };
  }
  const background = work
    .catch((err) => onBackgroundError(err, job._id)) // and kept on the job document as `failed`
    .finally(() => running.delete(job._id));
  running.set(job._id, background);
  return { ok: true };
}

/**
 * Starts a failed or interrupted job again with its confirmed parameters (every step is
 * idempotent: nobody is acted on twice); a job running or done is left alone.
 */
async function restartBulk(
  ctx: ServiceContext,
  job: BulkJobDoc,
  input: { actorId: string; now: Date; onBackgroundError?: OnError },
): Promise<ConfirmResult> {
  const stopped = job.status === 'failed' || isInterrupted(job, input.now);
  if (!stopped || !job.params || job.action === 'export') return { ok: true };
  // The next run after the one read: racing restarts claim the same number, one inserts it.
  const run = (job.runs || 1) + 1;
  if (!(await claimRun(ctx, job._id, run, input.now))) return { ok: true };
  await ctx.models.BulkJob.updateOne(
    { _id: job._id },
    {
      $set: {
        runs: run,
        status: 'running',
        startedAt: input.now,
        progressAt: input.now,
        done: 0,
        changed: 0,
        skipped: 0,
        error: null,
      },
    },
  );
  return start(
    ctx,
    job,
    { actorId: input.actorId, params: job.params, now: input.now },
    input.onBackgroundError,
  );
}

/** Resolves when this process's background run of the job has finished (at once if none). */
export async function waitForBulkJob(_ctx: ServiceContext, input: { jobId: string }): Promise<void> {
  await running.get(input.jobId);
}
