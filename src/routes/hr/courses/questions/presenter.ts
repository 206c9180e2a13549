import type { ItemStatsPage } from '../../../../services/reporting/item-stats.js';
import { FLAG_NOTE } from '../../../../services/reporting/item-stats-rows.js';

const percent = (share: number | null) => (share === null ? '—' : `${Math.round(share * 100)}%`);
const decimal = (v: number | null, digits: number) => (v === null ? '—' : v.toFixed(digits));

/** The item statistics page's view model: figures as text, flags in words. */
export function presentItemStats(page: ItemStatsPage) {
  return {
    course: page.course,
    computedAt: page.computedAt
      ? {
          iso: page.computedAt.toISOString(),
          text: `${page.computedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
        }
      : null,
    flagged: page.rows.filter((r) => r.flags.length > 0).length,
    flagNote: FLAG_NOTE,
    rows: page.rows.map((r) => ({
      ...r,
      shareCorrect: percent(r.shareCorrect),
      meanPoints: decimal(r.meanPoints, 2),
      discrimination: decimal(r.discrimination, 2),
      picks: r.picks.map((p) => ({ ...p, share: percent(p.share) })),
    })),
  };
}
