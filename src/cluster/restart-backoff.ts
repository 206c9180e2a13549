/**
 * When a worker dies it is replaced at once, unless workers keep dying right after they start (a
 * bad deployment, a database refusing connections): then each replacement waits twice as long as the
 * one before, 1 s up to 30 s, so a crash loop costs a start every 30 s instead of spinning the CPU.
 * A worker that lived `quickMs` or longer clears the count.
 */
export const RESTART_RULES = { quickMs: 10_000, firstMs: 1_000, maxMs: 30_000 } as const;

export interface RestartState {
  /** Workers in a row that died within `quickMs` of being forked. */
  quickDeaths: number;
}

/** The wait before forking the replacement of a worker that died after `uptimeMs`, and the new state. */
export function nextRestart(state: RestartState, uptimeMs: number): RestartState & { delayMs: number } {
  if (uptimeMs >= RESTART_RULES.quickMs) return { delayMs: 0, quickDeaths: 0 };
  const quickDeaths = state.quickDeaths + 1;
  const delayMs = Math.min(RESTART_RULES.firstMs * 2 ** Math.min(quickDeaths - 1, 16), RESTART_RULES.maxMs);
  return { delayMs, quickDeaths };
}
