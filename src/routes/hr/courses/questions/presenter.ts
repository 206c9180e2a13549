import {
  MIN_ANSWERS_FOR_DISTRACTOR_FLAG,
  MIN_ANSWERS_FOR_FLAGS,
  TOO_EASY_ABOVE,
  TOO_HARD_BELOW,
} from '../../../../domain/quiz/item-stats.js';
import type { Translator } from '../../../../i18n/translator.js';
import type { ItemStatsPage } from '../../../../services/reporting/item-stats.js';
import type { ItemStatsRow } from '../../../../services/reporting/item-stats-rows.js';

const percent = (share: number | null) => (share === null ? '—' : `${Math.round(share * 100)}%`);
const decimal = (v: number | null, digits: number) => (v === null ? '—' : v.toFixed(digits));

/**
 * Each flag in a sentence HR can act on, in the reader's language. The distractors nobody picks
 * are the row's wrong choices with no pick (the same list the nightly job flagged).
 */
function flagWords(row: ItemStatsRow, t: Translator['t']): string[] {
  return row.flags.map((flag) => {
    switch (flag) {
      case 'too-easy':
        return t('courses.questions.tooEasy', { share: percent(TOO_EASY_ABOVE) });
      case 'too-hard':
        return t('courses.questions.tooHard', { share: percent(TOO_HARD_BELOW) });
      case 'negative-discrimination':
        return t('courses.questions.negative');
      case 'unpicked-distractor': {
        const unpicked = row.picks.filter((p) => !p.correct && p.n === 0);
        const choices = unpicked.map((p) => `“${p.label}”`).join(', ');
        return t('courses.questions.unpicked', { choices, drawn: row.drawn });
      }
    }
    return flag;
  });
}

/**
 * A row's words in the reader's language: its question type, and its verdict picks by the names the
 * learner saw ("Veredicto: No aceptable"); option texts stay as the course wrote them.
 */
function inLanguage(row: ItemStatsRow, t: Translator['t']): ItemStatsRow {
  return {
    ...row,
    type: t(`courses.questions.type.${row.questionType}`),
    picks: row.picks.map((p) =>
      p.verdict
        ? {
            ...p,
            label: t('courses.questions.verdictPick', { verdict: t(`learn.verdict.${p.verdict}.label`) }),
          }
        : p,
    ),
  };
}

/** The item statistics page's view model: figures as text, flags in words. */
export function presentItemStats(page: ItemStatsPage, i18n: Translator) {
  const t = i18n.t.bind(i18n);
  return {
    course: page.course,
    computedAt: page.computedAt
      ? {
          iso: page.computedAt.toISOString(),
          text: `${page.computedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
        }
      : null,
    flagged: page.rows.filter((r) => r.flags.length > 0).length,
    flagNote: t('courses.questions.flagNote', {
      minFlags: MIN_ANSWERS_FOR_FLAGS,
      minDistractor: MIN_ANSWERS_FOR_DISTRACTOR_FLAG,
    }),
    rows: page.rows
      .map((row) => inLanguage(row, t))
      .map((r) => ({
        ...r,
        flagWords: flagWords(r, t),
        shareCorrect: percent(r.shareCorrect),
        meanPoints: decimal(r.meanPoints, 2),
        discrimination: decimal(r.discrimination, 2),
        picks: r.picks.map((p) => ({ ...p, share: percent(p.share) })),
      })),
  };
}
