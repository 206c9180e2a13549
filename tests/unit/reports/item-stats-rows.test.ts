import { describe, expect, it } from 'vitest';
import type { ItemStatsDoc } from '../../../src/db/models/item-stats.js';
import { POST_VERDICT_LABELS } from '../../../src/domain/verdict-labels.js';
import { itemStatsCsvRow, itemStatsRow, shorten } from '../../../src/services/reporting/item-stats-rows.js';
import { classify, single } from '../quiz/fixtures.js';

const doc = (over: Partial<ItemStatsDoc>): ItemStatsDoc => ({
  _id: 'c:q',
  courseId: 'c',
  questionId: 'q',
  computedAt: new Date('2026-03-02T02:30:00Z'),
  drawn: 40,
  blank: 0,
  correct: 10,
  shareCorrect: 0.25,
  meanPoints: 0.25,
  discrimination: -0.21,
  sums: { n: 40, x: 10, y: 0, xy: 0, xx: 10, yy: 0 },
  picks: [],
  verdicts: [],
  flags: [],
  unpicked: [],
  ...over,
});

describe('item statistics rows', () => {
  it('names the flags in words, a distractor nobody picks by its text', () => {
    const q = { ...single('q'), source: { file: 'quiz.yaml', line: 412 } };
    const row = itemStatsRow(
      q,
      doc({
        picks: [
          { id: 'a', n: 10 },
          { id: 'b', n: 30 },
          { id: 'c', n: 0 },
        ],
        flags: ['too-hard', 'negative-discrimination', 'unpicked-distractor'],
        unpicked: ['c'],
      }),
    );
    expect(row.source).toBe('quiz.yaml:412');
    expect(row.type).toBe('Single choice');
    expect(row.picks.map((p) => [p.label, p.correct, p.share])).toEqual([
      ['Option a', true, 0.25],
      ['Option b', false, 0.75],
      ['Option c', false, 0],
    ]);
    expect(row.flagWords).toEqual([
      'Too hard: fewer than 30% answer it correctly.',
      expect.stringMatching(/^Negative discrimination: /),
      'Nobody picks “Option c” (over 40 answers).',
    ]);
  });

  it('lists a classify question’s verdicts before its reasons, by the labels every page uses, the key marked', () => {
    const row = itemStatsRow(
      classify('k'),
      doc({
        verdicts: [
          { id: 'acceptable', n: 5 },
          { id: 'ask-first', n: 5 },
          { id: 'unacceptable', n: 30 },
        ],
        picks: [
          { id: 'r1', n: 10 },
          { id: 'r2', n: 25 },
          { id: 'r3', n: 5 },
        ],
      }),
    );
    expect(row.picks.map((p) => p.label)).toEqual([
      `Verdict: ${POST_VERDICT_LABELS.acceptable}`,
      `Verdict: ${POST_VERDICT_LABELS['ask-first']}`,
      `Verdict: ${POST_VERDICT_LABELS.unacceptable}`,
      'Option r1',
      'Option r2',
      'Option r3',
    ]);
    expect(row.picks.filter((p) => p.correct).map((p) => p.label)).toEqual([
      `Verdict: ${POST_VERDICT_LABELS.unacceptable}`,
      'Option r2',
    ]);
  });

  it('neutralises text cells that look like formulas but keeps a negative figure a number', () => {
    const q = { ...single('q'), prompt: '=HYPERLINK("http://x")' };
    const cells = itemStatsCsvRow(itemStatsRow(q, doc({})));
    expect(cells[4]).toBe('\'=HYPERLINK("http://x")');
    expect(cells.slice(5, 9)).toEqual(['40', '0.250', '0.250', '-0.210']);
  });

  it('shortens at a word with an ellipsis', () => {
    expect(shorten('one two three four', 12)).toBe('one two…');
    expect(shorten('short', 12)).toBe('short');
  });
});
