import { setTimeout as sleep } from 'node:timers/promises';

/** A database process the supervisor can watch and stop. */
export interface Supervisable {
  /** Resolves with how the process ended. */
  exited: Promise<string>;
  stop(): Promise<void>;
}

/** What /readyz and /metrics read from the supervision. */
export interface SupervisionStatus {
  /** True from the moment the process is seen to end until it answers again. */
  restarting(): boolean;
  /** Restarts that succeeded since the app started. */
  restarts(): number;
}

/** Back-off between restarts: 0.5 s, 1 s, 2 s … capped at 30 s; reset after a minute of running. */
export const RESTART_BACKOFF = { firstMs: 500, maxMs: 30_000, stableMs: 60_000 } as const;

/** The wait before restart attempt `failures + 1`, after `failures` restarts that did not last. */
export function restartDelayMs(failures: number): number {
  return Math.min(RESTART_BACKOFF.firstMs * 2 ** Math.min(failures, 16), RESTART_BACKOFF.maxMs);
}

/**
 * Keeps the embedded database running: when the process ends without `stop()` (a crash, the OOM
 * killer, an operator's kill), starts it again with `relaunch` (same port and data folder, so the
 * app's driver reconnects on its own) after a capped back-off, and logs every restart. It never
 * gives up and never throws: a database that cannot start is retried every 30 s while the app
 * answers 503 and /readyz says so.
 */
export function superviseDatabase(opts: {
  first: Supervisable;
  /** Starts the process again and resolves once it answers; aborted when `stop()` is called. */
  relaunch: (signal: AbortSignal) => Promise<Supervisable>;
  log: (line: string) => void;
  /** Where it listens, for the log. */
  where: string;
  /** The back-off schedule (tests shorten it). */
  delayMs?: (failures: number) => number;
}): { stop(): Promise<void>; status: SupervisionStatus } {
  const delayMs = opts.delayMs ?? restartDelayMs;
  const stopping = new AbortController();
  let current = opts.first;
  let down = false;
  let restarts = 0;

  async function keepRunning(): Promise<void> {
    let failures = 0;
    for (;;) {
      const upSince = Date.now();
      let reason = await current.exited;
      if (stopping.signal.aborted) return;
      down = true;
      if (Date.now() - upSince >= RESTART_BACKOFF.stableMs) failures = 0;
      const downSince = Date.now();
      for (;;) {
        const delay = delayMs(failures);
        failures += 1;
        opts.log(`[ferretdb] FerretDB ${reason}; restarting it in ${delay} ms (attempt ${failures})`);
        await sleep(delay, undefined, { signal: stopping.signal }).catch(() => {});
        if (stopping.signal.aborted) return;
        try {
          const next = await opts.relaunch(stopping.signal);
          current = next;
          if (stopping.signal.aborted) return void (await next.stop());
          down = false;
          restarts += 1;
          const downS = ((Date.now() - downSince) / 1000).toFixed(1);
          opts.log(`[ferretdb] FerretDB restarted on ${opts.where} (down ${downS} s)`);
          break;
        } catch (err) {
          if (stopping.signal.aborted) return;
          reason = `did not restart (${(err as Error).message.split('\n')[0]})`;
        }
      }
    }
  }

  const loop = keepRunning().catch((err: unknown) => {
    opts.log(`[ferretdb] supervision ended by an error: ${String(err)}`);
  });
  return {
    status: { restarting: () => down, restarts: () => restarts },
    async stop() {
      stopping.abort();
      await current.stop();
      await loop;
    },
  };
}
