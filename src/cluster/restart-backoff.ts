/**
 * When a worker dies it is replaced at once, unless workers keep dying young (a bad deployment, a
 * database refusing connections, a crash on the first request or the first job tick): then each
 * replacement waits twice as long as the one before, 1 s up to 30 s, so a crash loop costs a start
 * every 30 s instead of spinning the CPU.
 * - A death is young if the worker never became ready or had been ready for less than `stableMs`.
 * - The count of young deaths starts again after a worker that had served `stableMs` or more dies,
 *   or once `forgetMs` pass without a young death (the replacements have been running fine). A loop
 *   dies at least every `maxMs` + start + `stableMs` (about 100 s), well within `forgetMs`.
 */
export const RESTART_RULES = {
  stableMs: 60_000,
  forgetMs: 5 * 60_000,
  firstMs: 1_000,
  maxMs: 30_000,
} as const;

export interface RestartState {
  /** Young deaths in a row (see above). */
  quickDeaths: number;
  /** When the last of them happened (ms, the primary's clock). */
  lastQuickDeathAt: number | null;
}

export interface WorkerDeath {
  /** When it died (ms, the primary's clock). */
  at: number;
  /** How long it had been ready; null if it never was. */
  readyForMs: number | null;
}

/** The wait before forking the replacement of a worker that died, and the new state. */
export function nextRestart(state: RestartState, death: WorkerDeath): RestartState & { delayMs: number } {
  if (death.readyForMs !== null && death.readyForMs >= RESTART_RULES.stableMs)
    return { delayMs: 0, quickDeaths: 0, lastQuickDeathAt: null };
  const forgotten =
    state.lastQuickDeathAt === null || death.at - state.lastQuickDeathAt >= RESTART_RULES.forgetMs;
  const quickDeaths = (forgotten ? 0 : state.quickDeaths) + 1;
  const delayMs = Math.min(RESTART_RULES.firstMs * 2 ** Math.min(quickDeaths - 1, 16), RESTART_RULES.maxMs);
  return { delayMs, quickDeaths, lastQuickDeathAt: death.at };
}
