import { parseArgs } from 'node:util';

export const MEASURES = [
  'lesson',
  'quiz',
  'burst',
  'sweep',
  'hr',
  'scorm',
  'cold',
  'lookups',
  'items',
  'policy',
  'scim',
  'refresher',
  'backup',
  'bulk',
  'workers',
] as const;
export type MeasureId = (typeof MEASURES)[number];

/** Sizes and durations for one run. `--quick` shrinks everything so a run takes a minute or two. */
export interface BenchPlan {
  quick: boolean;
  only: Set<MeasureId>;
  /** Employees in the organisation the web measurements (lesson, quiz, burst) run against. */
  webOrg: number;
  connections: number;
  loadSeconds: number;
  rounds: number;
  quizSubmissions: number;
  burstLearners: number;
  burstWindowS: number;
  burstThinkS: number;
  loginSample: number;
  /** The burst is cut off after this many seconds. */
  burstDeadlineS: number;
  /** Longest wait for the app to finish submissions still in flight after the quiz load. */
  drainS: number;
  /**
   * Whether the web organisation carries the audit log its two years of history would have left
   * (`--web-audit=history`). Off by default: every append scans the log (see the audit-append
   * measurement), which then dominates every write path and makes the web runs unbounded.
   */
  webAudit: boolean;
  sweepSizes: number[];
  /** Per-size limit for one sweep child; it is killed and reported as not finished after this. */
  sweepTimeoutS: number;
  /** Audit log sizes (events) for the append timing. */
  auditSizes: number[];
  /** Graded attempts for the nightly item statistics timing. */
  itemStatsSizes: number[];
  /** Learners for the refresher measurements (issue #23). */
  refresherSizes: number[];
  /** Employees for the backup and restore measurement (issue #25). */
  backupSizes: number[];
  /** Organisation sizes for the people list and bulk actions (issue #28: 10k selected). */
  bulkSizes: number[];
  /** WORKERS values the cluster measurement runs `src/server.ts` with, in order (`--workers=1,2`). */
  workerCounts: number[];
  /** Employees in each of the cluster measurement's organisations (one per WORKERS value). */
  workersOrg: number;
  /** Exam-day learners in the cluster measurement. */
  workersBurstLearners: number;
  logLevel: string;
}

export function planFromArgs(argv: string[]): BenchPlan {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      sizes: { type: 'string' },
      'log-level': { type: 'string' },
      'web-audit': { type: 'string' },
      workers: { type: 'string' },
    },
  });
  const quick = values.quick ?? false;
  const only = new Set<MeasureId>(
    values.only
      ? (values.only.split(',').filter((m) => (MEASURES as readonly string[]).includes(m)) as MeasureId[])
      : MEASURES,
  );
  const sweepSizes = values.sizes
    ? values.sizes
        .split(',')
        .map(Number)
        .filter((n) => n > 0)
    : quick
      ? [300, 3000]
      : [1000, 10_000, 100_000];
  return {
    quick,
    only,
    webOrg: quick ? 500 : 10_000,
    connections: 50,
    loadSeconds: quick ? 3 : 10,
    rounds: quick ? 1 : 2,
    quizSubmissions: quick ? 300 : 1000,
    burstLearners: quick ? 200 : 2000,
    burstWindowS: 10,
    burstThinkS: quick ? 5 : 10,
    loginSample: quick ? 20 : 60,
    burstDeadlineS: quick ? 90 : 300,
    drainS: quick ? 60 : 300,
    webAudit: values['web-audit'] === 'history',
    sweepSizes,
    sweepTimeoutS: quick ? 300 : 1800,
    auditSizes: quick ? [500, 5000] : [1000, 20_000],
    itemStatsSizes: quick ? [1000, 10_000] : [10_000, 100_000],
    refresherSizes: quick ? [1000, 10_000] : [10_000, 100_000],
    backupSizes: values.sizes ? sweepSizes : quick ? [1000, 10_000] : [10_000, 100_000],
    bulkSizes: values.sizes ? sweepSizes : quick ? [1000] : [10_000],
    workerCounts: values.workers
      ? values.workers
          .split(',')
          .map(Number)
          .filter((n) => Number.isInteger(n) && n > 0)
      : [1, 2],
    // Sized so `--only=workers` finishes in about ten minutes on 2 cores (two organisations, two servers).
    workersOrg: quick ? 500 : 5000,
    workersBurstLearners: quick ? 300 : 1500,
    logLevel: values['log-level'] ?? 'info',
  };
}
