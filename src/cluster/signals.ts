/** A second SIGINT/SIGTERM this soon after the first is the same one, relayed by a parent process. */
export const DUPLICATE_SIGNAL_MS = 1_000;

/**
 * Calls `shutdown` on the first SIGINT or SIGTERM. `npm start` (npm, then tsx) passes the terminal's
 * Ctrl-C on to this process, which the terminal already sent it: one press arrives twice, and must
 * not cut the drain short. Only another signal a moment later forces the exit (status 1).
 * Used through shutdown.ts, alone or in a cluster.
 */
export function onShutdownSignals(
  shutdown: (signal: NodeJS.Signals) => void,
  log: (line: string) => void,
): void {
  let firstAt: number | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (firstAt === undefined) {
      firstAt = Date.now();
      return shutdown(signal);
    }
    if (Date.now() - firstAt < DUPLICATE_SIGNAL_MS) return;
    log(`second ${signal}: exiting without finishing the drain`);
    process.exit(1);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
