import type { EventEmitter } from 'node:events';
import autocannon from 'autocannon';
import { percentile } from './stats.js';

/**
 * autocannon on loopback, bounded by both a duration and a request count, so a slow server can
 * never make a run last longer than planned. Returns the figures the table needs.
 */

export interface LoadResult {
  requests: number;
  /** Mean requests per second over the run. */
  rps: number;
  p50: number;
  /** From every response's time (autocannon's own histogram has no p95). */
  p95: number;
  p99: number;
  max: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodes: Record<string, number>;
  durationS: number;
}

export interface LoadOptions {
  url: string;
  connections: number;
  durationS: number;
  /** Stop after this many requests even if time remains. */
  maxRequests?: number;
  headers?: Record<string, string>;
  requests?: autocannon.Request[];
  /** Requests that take longer count as timeouts (seconds). */
  timeoutS?: number;
}

export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  if (!/^http:\/\/127\.0\.0\.1:/.test(opts.url)) throw new Error(`load only on loopback, not ${opts.url}`);
  // Without a callback autocannon returns its tracker, which is also the promise of the result.
  const run = autocannon({
    url: opts.url,
    connections: opts.connections,
    duration: opts.durationS,
    amount: opts.maxRequests,
    headers: opts.headers,
    requests: opts.requests,
    timeout: opts.timeoutS ?? 10,
  }) as Promise<autocannon.Result> & Partial<EventEmitter>;
  const times: number[] = [];
  run.on?.('response', (_client: unknown, _status: number, _bytes: number, ms: number) => times.push(ms));
  const result = await run;
  const statusCodes: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {}))
    statusCodes[code] = stat.count ?? 0;
  const completed = Object.values(statusCodes).reduce((a, b) => a + b, 0);
  return {
    requests: completed,
    rps: result.duration > 0 ? completed / result.duration : 0,
    p50: result.latency.p50,
    p95: percentile(times, 95),
    p99: result.latency.p99,
    max: result.latency.max,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    statusCodes,
    durationS: result.duration,
  };
}

/** A short unmeasured run so JIT, connection pools and caches are warm before measuring. */
export async function warmUp(opts: LoadOptions, seconds = 1): Promise<void> {
  await runLoad({
    ...opts,
    durationS: Math.min(seconds, opts.durationS),
    maxRequests: Math.min(opts.maxRequests ?? 2000, 2000),
  });
}
