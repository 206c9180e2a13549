import { openDb } from '../../../src/db/connection.js';
import { systemClock } from '../../../src/domain/clock.js';
import type { ChangeKind } from '../../../src/domain/policy-version.js';
import { outboxMailer } from '../../../src/mail/transport.js';
import { createAuditLog } from '../../../src/services/audit/log.js';
import type { ServiceContext } from '../../../src/services/context.js';
import { createCatalogue } from '../../../src/services/courses/index.js';
import { approveAndPublish } from '../../../src/services/policy/publish.js';
import { monitoredUri } from '../../helpers/db-commands.js';
import type { BenchContext } from '../lib/context.js';
import type { Row } from '../lib/results.js';
import { percentile, ratio, round } from '../lib/stats.js';

/**
 * Publishing a policy version (services/policy/publish.ts) on a synthetic organisation: a
 * re-attest version asks every person who completed to attest again, but the publish itself must
 * not touch anyone: it records a campaign the sweep acts on later. Timed against publishing a
 * minor version (no campaign) and against one single-document write, in the same process and
 * database, with the database commands each publish sends (and those that read per-person
 * collections: there must be none).
 */

/** Collections with a document per person (or more): a publish that reads or writes them scans people. */
const PER_PERSON = new Set([
  'users',
  'assignments',
  'cycles',
  'attempts',
  'attempt_results',
  'progress',
  'sessions',
]);

export interface PolicyPublishTimings {
  employees: number;
  /** Median ms over the rounds. */
  reattestMs: number;
  minorMs: number;
  singleWriteMs: number;
  /** Commands one re-attest publish sent, by "command collection". */
  reattestCommands: Record<string, number>;
  minorCommands: number;
  /** Commands on per-person collections during the publishes (must be 0). */
  perPersonCommands: number;
}

type Tally = Map<string, number>;

/** A context like the app's, on a connection with command monitoring (one listener counts into `tally.current`). */
async function monitoredContext(bench: BenchContext, dbName: string) {
  const db = await openDb(monitoredUri(bench.mongoUri), dbName);
  const tally: { current: Tally | null } = { current: null };
  db.conn.getClient().on('commandStarted', (e) => {
    const target = e.commandName === 'getMore' ? e.command.collection : e.command[e.commandName];
    const key = `${e.commandName} ${typeof target === 'string' ? target : '-'}`;
    tally.current?.set(key, (tally.current.get(key) ?? 0) + 1);
  });
  const served = new Map(bench.courses);
  const catalogue = createCatalogue({ models: db.models, served, clock: systemClock });
  await catalogue.refresh({ force: true });
  const ctx: ServiceContext = {
    models: db.models,
    courses: served,
    catalogue,
    audit: createAuditLog(db.models),
    mailer: outboxMailer(db.models),
    baseUrl: 'http://127.0.0.1:3000',
  };
  return { db, ctx, tally };
}

/** One submitted draft (written as HR's edit and submit leave it) and its publish, timed and counted. */
async function publishOnce(
  ctx: ServiceContext,
  tally: { current: Tally | null },
  input: { courseId: string; clauseId: string; round: number; kind: ChangeKind },
): Promise<{ ms: number; commands: Tally }> {
  const now = new Date();
  const head = await ctx.models.PolicyHead.findById(input.courseId).lean<{ n: number }>();
  await ctx.models.PolicyDraft.create({
    _id: input.courseId,
    courseId: input.courseId,
    basedOn: head?.n ?? 1,
    edits: {
      [input.clauseId]: {
        wording: {
          title: 'Bench clause',
          summary: 'Bench summary.',
          text: `Bench wording, round ${input.round}.`,
        },
        kind: input.kind,
      },
    },
    note: `Bench ${input.kind} ${input.round}`,
    editors: ['bench-hr'],
    submittedAt: now,
    submittedBy: 'bench-hr',
    updatedAt: now,
  });
  const commands: Tally = new Map();
  tally.current = commands;
  const start = performance.now();
  await approveAndPublish(ctx, {
    approver: { id: 'bench-admin', role: 'admin' },
    courseId: input.courseId,
    dueAt: new Date(now.getTime() + 14 * 86_400_000),
    now,
  });
  const ms = performance.now() - start;
  tally.current = null;
  return { ms, commands };
}

const total = (t: Tally) => [...t.values()].reduce((a, b) => a + b, 0);
const perPerson = (t: Tally) =>
  [...t.entries()].filter(([k]) => PER_PERSON.has(k.split(' ')[1]!)).reduce((a, [, n]) => a + n, 0);

/** `rounds` minor and re-attest publishes, interleaved, on the organisation in `dbName`. */
export async function policyPublishAt(
  bench: BenchContext,
  dbName: string,
  employees: number,
  rounds = 5,
): Promise<PolicyPublishTimings> {
  const { db, ctx, tally } = await monitoredContext(bench, dbName);
  try {
    const courseId = bench.course.id;
    const clauseId = bench.course.clauses[0]!.id;
    const minor: number[] = [];
    const reattest: number[] = [];
    const single: number[] = [];
    let reattestCommands: Tally = new Map();
    let minorCommands = 0;
    let perPersonCommands = 0;
    for (let i = 1; i <= rounds; i++) {
      const m = await publishOnce(ctx, tally, { courseId, clauseId, round: i * 2, kind: 'minor' });
      const r = await publishOnce(ctx, tally, { courseId, clauseId, round: i * 2 + 1, kind: 're-attest' });
      minor.push(m.ms);
      reattest.push(r.ms);
      minorCommands = total(m.commands);
      reattestCommands = r.commands;
      perPersonCommands += perPerson(m.commands) + perPerson(r.commands);
      const start = performance.now();
      await ctx.models.PolicyDraft.updateOne(
        { _id: `bench-single-${i}` },
        { $set: { courseId, updatedAt: new Date() } },
        { upsert: true },
      );
      single.push(performance.now() - start);
    }
    return {
      employees,
      reattestMs: round(percentile(reattest, 50), 2),
      minorMs: round(percentile(minor, 50), 2),
      singleWriteMs: round(percentile(single, 50), 2),
      reattestCommands: Object.fromEntries([...reattestCommands].sort()),
      minorCommands,
      perPersonCommands,
    };
  } finally {
    await db.close();
  }
}

export function policyPublishRows(all: PolicyPublishTimings[]): Row[] {
  const rows: Row[] = [];
  for (const t of all) {
    const measure = `Publish a policy version, ${t.employees / 1000}k people`;
    const commands = Object.values(t.reattestCommands).reduce((a, b) => a + b, 0);
    rows.push(
      {
        measure,
        metric: 're-attest publish (median)',
        value: t.reattestMs,
        unit: 'ms',
        baseline: { label: 'minor publish', value: t.minorMs },
        ratio: ratio(t.reattestMs, t.minorMs),
        target: 'close to minor (ratio ≤ 3)',
        met: ratio(t.reattestMs, t.minorMs) <= 3,
      },
      {
        measure,
        metric: 're-attest publish vs one document write',
        value: t.reattestMs,
        unit: 'ms',
        baseline: { label: 'single write', value: t.singleWriteMs },
        ratio: ratio(t.reattestMs, t.singleWriteMs),
      },
      {
        measure,
        metric: 'database commands per re-attest publish',
        value: commands,
        unit: 'commands',
        baseline: { label: 'minor publish', value: t.minorCommands },
        ratio: ratio(commands, t.minorCommands),
        note: Object.entries(t.reattestCommands)
          .map(([k, n]) => `${k}×${n}`)
          .join(', '),
      },
      {
        measure,
        metric: 'commands on per-person collections',
        value: t.perPersonCommands,
        unit: 'commands',
        target: '0 (no scan per person)',
        met: t.perPersonCommands === 0,
      },
    );
  }
  if (all.length >= 2) {
    const small = all[0]!;
    const big = all.at(-1)!;
    const r = ratio(big.reattestMs, small.reattestMs);
    rows.push({
      measure: `Publish a policy version ${big.employees / 1000}k vs ${small.employees / 1000}k`,
      metric: 're-attest publish',
      value: big.reattestMs,
      unit: 'ms',
      baseline: { label: `${small.employees / 1000}k`, value: small.reattestMs },
      ratio: r,
      target: 'flat (ratio ≤ 2)',
      met: r <= 2,
    });
  }
  return rows;
}
