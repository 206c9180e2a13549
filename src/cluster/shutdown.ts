import closeWithGrace from 'close-with-grace';
import { onShutdownSignals } from './signals.js';

/** How long cluster workers get to finish their requests in flight on SIGTERM before they are killed. */
export const DRAIN_MS = 10_000;

export interface ShutdownOptions {
  /** The longest `close` may take; past it the process exits 1 all the same. */
  boundMs: number;
  /** Lines for the operator (this module's own messages; never a stack trace). */
  log: (line: string) => void;
  /** Logs, once, the uncaught exception or unhandled rejection that brings the process down. */
  logCrash: (err: unknown) => void;
  /** Whether this process drains on its own SIGINT/SIGTERM (a cluster worker is told by the primary). */
  signals: boolean;
  /** Stops serving and releases what the process holds (called once per cause: keep it idempotent). */
  close: (why: { signal?: NodeJS.Signals; err?: unknown }) => Promise<void>;
}

/**
 * How every role ends (single process, cluster primary, cluster worker), on close-with-grace:
 * - SIGINT/SIGTERM (if `signals`): `close`, then exit 0. A copy of the signal relayed by `npm start`
 *   within a second is the same press; a later one exits 1 at once (signals.ts).
 * - Any other ending signal close-with-grace listens for (SIGHUP when the terminal closes, SIGQUIT,
 *   SIGUSR2, …), in every role: the same drain, with `why.signal` naming it; a second one exits 1.
 * - An uncaught exception or unhandled rejection: logged once, `close` (requests in flight finish,
 *   job leases are released), then exit 1 (a cluster's primary replaces the worker). Another error
 *   meanwhile is one line, not a stack trace.
 * - `close` still running after `boundMs`: exit 1.
 * Returns `close()` for a shutdown asked for otherwise (the primary's drain message): exit 0.
 */
export function shutdownGracefully(o: ShutdownOptions): { close: () => void } {
  let signal: NodeJS.Signals | undefined;
  const graceful = closeWithGrace(
    {
      delay: o.boundMs,
      skip: ['SIGINT', 'SIGTERM'],
      logger: { error: (e: unknown) => o.log(`shutdown failed: ${message(e)}`) },
      onSecondError: (e: unknown) => o.log(`another error while shutting down (${message(e)}): exiting`),
      onTimeout: () => o.log(`still shutting down after ${o.boundMs / 1000} s: exiting`),
      onSecondSignal: (s: NodeJS.Signals) => o.log(`second ${s}: exiting without finishing the drain`),
    },
    async ({ err, signal: caught }) => {
      if (err !== undefined) o.logCrash(err);
      await o.close({ signal: signal ?? caught, err });
    },
  );
  if (o.signals)
    onShutdownSignals((s) => {
      signal = s;
      void graceful.close();
    }, o.log);
  return graceful;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
