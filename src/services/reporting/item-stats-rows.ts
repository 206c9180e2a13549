/**
 * HR's item statistics as rows: the question in short, its stored figures, and flags in words.
 * Pure: the page and the CSV export both present these.
 */
import type { ItemStatsDoc } from '../../db/models/item-stats.js';
import { POST_VERDICTS, type PostVerdict, type Question, type QuestionType } from '../../domain/course.js';
import {
  type ItemFlag,
  MIN_ANSWERS_FOR_DISTRACTOR_FLAG,
  MIN_ANSWERS_FOR_FLAGS,
  TOO_EASY_ABOVE,
  TOO_HARD_BELOW,
} from '../../domain/quiz/item-stats.js';
import { POST_VERDICT_LABELS } from '../../domain/verdict-labels.js';
import { neutraliseCell } from './csv-rows.js';

export const QUESTION_TYPE_LABELS: Record<QuestionType, string> = {
  single: 'Single choice',
  truefalse: 'True or false',
  multiple: 'Multiple response',
  classify: 'Classify a post',
  spot: 'Spot the problem',
};

export interface PickRow {
  id: string;
  label: string;
  /** Earns the point (the right option, reason, segment or verdict). */
  correct: boolean;
  /** A verdict pick: its code, for a page to word in its language (`label` is the CSV's English). */
  verdict?: PostVerdict;
  n: number;
  /** n / drawn; null when never drawn. */
  share: number | null;
}

export interface ItemStatsRow {
  questionId: string;
  prompt: string;
  /** The type in English, for the CSV; `questionType` for a page to word. */
  type: string;
  questionType: QuestionType;
  clauses: string[];
  /** `quiz.yaml:412`, or '' when the loader did not record it. */
  source: string;
  drawn: number;
  shareCorrect: number | null;
  meanPoints: number | null;
  discrimination: number | null;
  picks: PickRow[];
  flags: ItemFlag[];
  /** Each flag in a sentence HR can act on. */
  flagWords: string[];
}

/** The first `max` characters, cut at a word, with an ellipsis when shortened. */
export function shorten(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

const percent = (share: number) => `${Math.round(share * 100)}%`;

/** A verdict pick's code, when the stored id is one. */
const verdictOf = (id: string): { verdict?: PostVerdict } =>
  (POST_VERDICTS as readonly string[]).includes(id) ? { verdict: id as PostVerdict } : {};

function choiceTexts(q: Question): Map<string, string> {
  const list = q.type === 'classify' ? q.reasons : q.type === 'spot' ? q.segments : q.options;
  return new Map(list.map((c) => [c.id, c.text]));
}

function flagWords(doc: ItemStatsDoc, labels: Map<string, string>): string[] {
  return doc.flags.map((flag) => {
    switch (flag) {
      case 'too-easy':
        return `Too easy: more than ${percent(TOO_EASY_ABOVE)} answer it correctly.`;
      case 'too-hard':
        return `Too hard: fewer than ${percent(TOO_HARD_BELOW)} answer it correctly.`;
      case 'negative-discrimination':
        return 'Negative discrimination: people who score well on the rest of the quiz get it wrong more often than those who score badly. Check the key and the wording.';
      case 'unpicked-distractor':
        return `Nobody picks ${doc.unpicked.map((id) => `“${labels.get(id) ?? id}”`).join(', ')} (over ${doc.drawn} answers).`;
    }
    return flag;
  });
}

export function itemStatsRow(q: Question, doc: ItemStatsDoc): ItemStatsRow {
  const texts = choiceTexts(q);
  const share = (n: number) => (doc.drawn > 0 ? n / doc.drawn : null);
  const rightIds = new Set(
    q.type === 'classify'
      ? [q.verdict, ...q.reasons.filter((r) => r.correct).map((r) => r.id)]
      : q.type === 'spot'
        ? q.segments.filter((s) => s.problem).map((s) => s.id)
        : q.options.filter((o) => o.correct).map((o) => o.id),
  );
  const pick = (c: { id: string; n: number }, label: string): PickRow => ({
    id: c.id,
    label,
    correct: rightIds.has(c.id),
    n: c.n,
    share: share(c.n),
  });
  const labels = new Map<string, string>();
  for (const [id, text] of texts) labels.set(id, shorten(text, 48));
  // The verdicts by the labels the learner saw (one list for every page), marked as verdicts here.
  for (const [id, label] of Object.entries(POST_VERDICT_LABELS)) labels.set(id, `Verdict: ${label}`);
  return {
    questionId: q.id,
    prompt: shorten(q.prompt, 120),
    type: QUESTION_TYPE_LABELS[q.type],
    questionType: q.type,
    clauses: q.clauses,
    source: q.source ? `${q.source.file}:${q.source.line}` : '',
    drawn: doc.drawn,
    shareCorrect: doc.shareCorrect,
    meanPoints: doc.meanPoints,
    discrimination: doc.discrimination,
    picks: [
      ...doc.verdicts.map((v) => ({ ...pick(v, labels.get(v.id) ?? v.id), ...verdictOf(v.id) })),
      ...doc.picks.map((c) => pick(c, labels.get(c.id) ?? c.id)),
    ],
    flags: doc.flags,
    flagWords: flagWords(doc, labels),
  };
}

export const ITEM_STATS_CSV_COLUMNS = [
  'question id',
  'source',
  'type',
  'clauses',
  'prompt',
  'drawn',
  'share correct',
  'mean points',
  'discrimination',
  'picks',
  'flags',
] as const;

const decimal = (v: number | null) => (v === null ? '' : v.toFixed(3));

/**
 * One CSV row; picks read `label=count (share)`, the right choices marked `[right]`. Text cells are
 * neutralised against formulas; the figures are ours and stay numbers (a negative discrimination
 * must not become text).
 */
export function itemStatsCsvRow(r: ItemStatsRow): string[] {
  const picks = r.picks
    .map(
      (p) =>
        `${p.correct ? '[right] ' : ''}${p.label}=${p.n}${p.share === null ? '' : ` (${percent(p.share)})`}`,
    )
    .join('; ');
  const text = (v: string) => neutraliseCell(v);
  return [
    text(r.questionId),
    text(r.source),
    r.type,
    text(r.clauses.join(' ')),
    text(r.prompt),
    String(r.drawn),
    decimal(r.shareCorrect),
    decimal(r.meanPoints),
    decimal(r.discrimination),
    text(picks),
    text(r.flagWords.join(' ')),
  ];
}

/** Shown under the table: the minimum samples behind the flags. */
export const FLAG_NOTE = `A question is flagged too easy, too hard or for negative discrimination only from ${MIN_ANSWERS_FOR_FLAGS} answers, and for a distractor nobody picks only from ${MIN_ANSWERS_FOR_DISTRACTOR_FLAG} answers.`;
