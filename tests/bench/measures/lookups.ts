import { assignmentKey, attemptKey, auditEventId, cycleKey } from '../../../src/db/keys.js';
import type { Models } from '../../../src/db/models/index.js';
import { GENESIS_HASH } from '../../../src/domain/audit-chain.js';
import type { SessionUser } from '../../../src/domain/roles.js';
import { createAuditLog } from '../../../src/services/audit/log.js';
import type { Row } from '../lib/results.js';
import { percentile, ratio, round } from '../lib/stats.js';
import { BatchWriter } from '../synthetic/writer.js';

/**
 * The hot reads are all by `_id` (session, login key, person, assignment, cycle, attempt). On
 * MongoDB that is the primary index. FerretDB has no useful explain for this, so the bench times
 * the same lookups in a small and a large organisation: flat times mean an index is used.
 */
export const HOT_PATHS = [
  'Session by _id (every signed-in request)',
  'LoginKey by _id (login)',
  'User by _id',
  'Assignment by _id `<userId>:<courseId>`',
  'Cycle by _id `<userId>:<courseId>:<n>`',
  'Attempt by _id `<cycleId>:<n>`',
] as const;

export interface LookupTimings {
  employees: number;
  /** Median ms per lookup, by hot path. */
  byId: Record<string, number>;
  /** One query by a non-_id field (a full scan on FerretDB), for contrast. */
  scanMs: number;
  counts: Record<string, number>;
}

async function medianMs(n: number, fn: (i: number) => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn(i);
    times.push(performance.now() - t);
  }
  return round(percentile(times, 50), 2);
}

export async function lookupsAt(
  models: Models,
  employees: number,
  people: SessionUser[],
  courseId: string,
): Promise<LookupTimings> {
  const ids = people.map((p) => p.id);
  const at = (i: number) => ids[i % ids.length]!;
  const reps = 30;
  const byId: Record<string, number> = {
    [HOT_PATHS[0]]: await medianMs(reps, (i) => models.Session.findById(`bench-${at(i)}`).lean()),
    [HOT_PATHS[1]]: await medianMs(reps, (i) =>
      models.LoginKey.findById(people[i % people.length]!.email).lean(),
    ),
    [HOT_PATHS[2]]: await medianMs(reps, (i) => models.User.findById(at(i)).lean()),
    [HOT_PATHS[3]]: await medianMs(reps, (i) =>
      models.Assignment.findById(assignmentKey(at(i), courseId)).lean(),
    ),
    [HOT_PATHS[4]]: await medianMs(reps, (i) => models.Cycle.findById(cycleKey(at(i), courseId, 1)).lean()),
    [HOT_PATHS[5]]: await medianMs(reps, (i) =>
      models.Attempt.findById(attemptKey(cycleKey(at(i), courseId, 1), 1)).lean(),
    ),
  };
  const scanMs = await medianMs(3, (i) =>
    models.User.findOne({ email: people[i % people.length]!.email }, { _id: 1 }).lean(),
  );
  const counts: Record<string, number> = {};
  for (const name of ['Session', 'User', 'Assignment', 'Cycle', 'Attempt'] as const) {
    counts[name] = await models[name].estimatedDocumentCount();
  }
  return { employees, byId, scanMs, counts };
}

/**
 * The audit log's append (services/audit/log.ts) over a log of `events` entries: `_id` is the padded
 * sequence number; the first append of a process finds the end by bisecting with `_id` lookups,
 * later ones insert at the next number directly.
 */
export async function auditAppendAt(
  models: Models,
  events: number,
): Promise<{ events: number; firstMs: number; nextMs: number }> {
  const writer = new BatchWriter(models, 2000);
  for (let seq = 1; seq <= events; seq++) {
    // Hash links are not checked here; only the shape and size of the log matter for the timing.
    await writer.add('AuditEvent', [
      {
        _id: auditEventId(seq),
        seq,
        at: new Date(),
        actorId: null,
        action: 'login.success',
        targetType: 'user',
        targetId: 'x',
        subjectId: null,
        details: { ip: '10.0.0.1' },
        prevHash: GENESIS_HASH,
        hash: GENESIS_HASH,
      },
    ]);
  }
  await writer.flush();
  const log = createAuditLog(models);
  const append = () =>
    log.append({ actorId: null, action: 'bench.append', targetType: 'bench', targetId: 'x' }, new Date());
  const t = performance.now();
  await append();
  const firstMs = performance.now() - t;
  const nextMs = await medianMs(3, append);
  return { events, firstMs: round(firstMs, 1), nextMs };
}

export function lookupRows(
  all: LookupTimings[],
  audits: Array<{ events: number; firstMs: number; nextMs: number }>,
): Row[] {
  const rows: Row[] = [];
  if (all.length >= 2) {
    const small = all.reduce((a, b) => (b.employees < a.employees ? b : a));
    const big = all.reduce((a, b) => (b.employees > a.employees ? b : a));
    const measure = `_id lookups ${big.employees / 1000}k vs ${small.employees / 1000}k`;
    for (const path of HOT_PATHS) {
      const r = ratio(big.byId[path]!, small.byId[path]!);
      rows.push({
        measure,
        metric: path,
        value: big.byId[path]!,
        unit: 'ms',
        baseline: { label: `${small.employees / 1000}k`, value: small.byId[path]! },
        ratio: r,
        target: 'flat (ratio ≤ 2)',
        met: r <= 2,
      });
    }
    rows.push({
      measure,
      metric: 'User by e-mail (not _id: full scan)',
      value: big.scanMs,
      unit: 'ms',
      baseline: { label: `${small.employees / 1000}k`, value: small.scanMs },
      ratio: ratio(big.scanMs, small.scanMs),
    });
  }
  if (audits.length >= 2) {
    const small = audits[0]!;
    const big = audits.at(-1)!;
    const r = ratio(big.nextMs, small.nextMs);
    rows.push({
      measure: 'audit append',
      metric: `append over ${big.events / 1000}k events`,
      value: big.nextMs,
      unit: 'ms',
      baseline: { label: `${small.events / 1000}k events`, value: small.nextMs },
      ratio: r,
      target: 'flat (ratio ≤ 2)',
      met: r <= 2,
      note: `first append in a process ${big.firstMs} ms`,
    });
  }
  return rows;
}
