import type { ToPrimary } from './messages.js';

/** How long a worker's /metrics waits for the primary's aggregate before failing the scrape. */
const ANSWER_TIMEOUT_MS = 10_000;

/**
 * A worker's side of GET /metrics in cluster mode: asks the primary for the whole cluster's text
 * (the primary asks every worker, this one included) and matches the answer to the question.
 */
export function metricsAsker(tell: (message: ToPrimary) => void) {
  const waiting = new Map<number, (text: string | null) => void>();
  let asked = 0;
  return {
    ask(): Promise<string> {
      return new Promise((resolve, reject) => {
        const ask = ++asked;
        const timer = setTimeout(() => answer(null), ANSWER_TIMEOUT_MS);
        const answer = (text: string | null) => {
          clearTimeout(timer);
          waiting.delete(ask);
          if (text === null) reject(new Error('the cluster’s metrics could not be read'));
          else resolve(text);
        };
        waiting.set(ask, answer);
        tell({ lms: 'cluster-metrics?', ask });
      });
    },
    answered(ask: number, text: string | null): void {
      waiting.get(ask)?.(text);
    },
  };
}
