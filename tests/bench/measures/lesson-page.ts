import type autocannon from 'autocannon';
import { type DbTally, describeTally } from '../lib/app-process.js';
import type { OrgFixture } from '../lib/context.js';
import { type CpuSplit, describeSplit, startCpuSplit } from '../lib/cpu-split.js';
import { httpRequest } from '../lib/http.js';
import { type LoadResult, runLoad, warmUp } from '../lib/load.js';
import { atLeast, type MeasureResult } from '../lib/results.js';
import { createSessions, withCsrf } from '../lib/sessions.js';
import { ratio, round } from '../lib/stats.js';

export interface LessonPageOptions {
  connections: number;
  durationS: number;
  /** Distinct signed-in learners the requests rotate through. */
  sessions: number;
  /** Alternating baseline/app rounds, to spread machine noise over both. */
  rounds: number;
  /** Stop each run after this many requests (the smoke test keeps runs tiny). */
  maxRequests?: number;
}

/** Requests rotate over the sessions' cookies, so the session store sees many different users. */
function rotatingCookies(cookies: string[]): autocannon.Request[] {
  let i = 0;
  return [
    {
      method: 'GET',
      setupRequest: (req) => ({
        ...req,
        headers: { ...req.headers, cookie: cookies[i++ % cookies.length]! },
      }),
    },
  ];
}

function mean(runs: LoadResult[], pick: (r: LoadResult) => number): number {
  return runs.reduce((a, r) => a + pick(r), 0) / Math.max(1, runs.length);
}

/**
 * 1. A signed-in employee's lesson page under load, against a bare fastify route in the same
 * process that sends the same HTML bytes from memory (what fastify itself costs on this machine).
 */
export async function measureLessonPage(fx: OrgFixture, opts: LessonPageOptions): Promise<MeasureResult> {
  const { course } = fx.ctx;
  const lessonPath = `/learn/${course.id}/lessons/${course.lessons[0]!.id}`;
  const sessions = await createSessions(fx.db.models, fx.org.sample.slice(0, opts.sessions));
  // The first view records progress (a write); load then measures the steady state of re-reading.
  await withCsrf(fx.app.url, sessions, lessonPath);
  const page = await httpRequest(`${fx.app.url}${lessonPath}`, { headers: { cookie: sessions[0]!.cookie } });
  if (page.status !== 200) throw new Error(`lesson page answered ${page.status}`);
  // The bare baseline runs only beside the bench's own app child (the real server has none).
  const { bareUrl } = fx.app;
  if (bareUrl) await fx.app.setBareHtml?.(page.body);

  const bounds = { connections: opts.connections, durationS: opts.durationS, maxRequests: opts.maxRequests };
  const app = { url: `${fx.app.url}${lessonPath}`, ...bounds };
  const bare = bareUrl ? { url: `${bareUrl}/`, ...bounds } : null;
  const requests = rotatingCookies(sessions.map((s) => s.cookie));
  if (bare) await warmUp(bare);
  await warmUp({ ...app, requests });
  const appRuns: LoadResult[] = [];
  const bareRuns: LoadResult[] = [];
  let split: CpuSplit | null = null;
  let tally: DbTally | undefined;
  for (let r = 0; r < opts.rounds; r++) {
    if (bare) bareRuns.push(await runLoad(bare));
    const stop = await startCpuSplit(await fx.app.cpuPids(), fx.ctx.dbPid);
    await fx.app.dbTally?.();
    appRuns.push(await runLoad({ ...app, requests }));
    split = await stop();
    tally = await fx.app.dbTally?.();
  }
  const appRps = mean(appRuns, (r) => r.rps);
  const bareRps = bare ? mean(bareRuns, (r) => r.rps) : Number.NaN;
  const p95 = Math.max(...appRuns.map((r) => r.p95));
  const p99 = Math.max(...appRuns.map((r) => r.p99));
  const failures = appRuns.reduce((a, r) => a + r.errors + r.timeouts + r.non2xx, 0);
  const measure = 'lesson page';
  const note = [
    split ? describeSplit(split) : '',
    tally ? describeTally(tally, appRuns.at(-1)?.requests ?? 0) : '',
  ].filter(Boolean);
  const rps = {
    measure,
    metric: 'req/s (signed-in lesson)',
    value: round(appRps),
    unit: 'req/s',
    note: note.join('; '),
  };
  return {
    id: 'lesson-page',
    title: `Lesson page, ${opts.connections} connections, ${fx.org.employees}-person org`,
    rows: [
      bare
        ? atLeast(
            {
              ...rps,
              baseline: { label: 'bare fastify, same bytes', value: round(bareRps) },
              ratio: ratio(appRps, bareRps),
            },
            0.5,
            'ratio ≥ 0.5',
            'ratio',
          )
        : rps,
      {
        measure,
        metric: `p99 latency @${opts.connections}`,
        value: p99,
        unit: 'ms',
        ...(bare ? { baseline: { label: 'bare p99', value: Math.max(...bareRuns.map((r) => r.p99)) } } : {}),
        note: `p95 ${round(p95)} ms`,
      },
      {
        measure,
        metric: 'failed responses',
        value: failures,
        unit: 'count',
        target: '0',
        met: failures === 0,
      },
    ],
    details: {
      path: lessonPath,
      p95,
      p99,
      htmlBytes: Buffer.byteLength(page.body),
      appRuns,
      bareRuns,
      cpu: split,
      dbCommands: tally,
    },
  };
}
