import { describe, expect, it } from 'vitest';
import { contrastRatio } from '../../../src/domain/brand-colour.js';
import {
  addRecall,
  addRefresher,
  emptySnapshotCells,
  HEAT_BANDS,
  heatBand,
  knowledgeTable,
  lastQuarters,
  quarterChange,
  quarterEnd,
  quarterOf,
  quarterStart,
  refresherRanking,
} from '../../../src/domain/mastery/knowledge.js';

describe('quarters', () => {
  it('names the UTC quarter an instant falls in', () => {
    expect(quarterOf(new Date('2026-01-01T00:00:00Z'))).toBe('2026-Q1');
    expect(quarterOf(new Date('2026-03-31T23:59:59.999Z'))).toBe('2026-Q1');
    expect(quarterOf(new Date('2026-04-01T00:00:00Z'))).toBe('2026-Q2');
    expect(quarterOf(new Date('2026-12-06T12:00:00Z'))).toBe('2026-Q4');
  });

  it('gives a quarter its first instant and its end (the first instant of the next)', () => {
    expect(quarterStart('2026-Q3').toISOString()).toBe('2026-07-01T00:00:00.000Z');
    expect(quarterEnd('2026-Q3').toISOString()).toBe('2026-10-01T00:00:00.000Z');
    expect(quarterEnd('2026-Q4').toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(() => quarterStart('2026-Q5')).toThrow();
  });

  it('lists the last n quarters, oldest first, across a year boundary', () => {
    expect(lastQuarters(new Date('2026-02-10T00:00:00Z'), 4)).toEqual([
      '2025-Q2',
      '2025-Q3',
      '2025-Q4',
      '2026-Q1',
    ]);
  });
});

describe('clause-by-department cells', () => {
  it('sums recall per department and clause, counting each learner once per clause', () => {
    const cells = emptySnapshotCells();
    const recall = (c: { r: number }) => c.r;
    addRecall(cells, 'Sales', { 'SMP-01': { r: 0.9 }, 'SMP-02': { r: 0.5 } }, recall);
    addRecall(cells, 'Sales', { 'SMP-01': { r: 0.7 } }, recall);
    addRecall(cells, '', { 'SMP-01': { r: 0.2 } }, recall);
    expect(cells.Sales!['SMP-01']).toEqual({ learners: 2, recallSum: expect.closeTo(1.6, 10) });
    expect(cells.Sales!['SMP-02']).toEqual({ learners: 1, recallSum: 0.5 });
    // No department on record: its own row, never dropped.
    expect(cells['(no department)']!['SMP-01']).toEqual({ learners: 1, recallSum: 0.2 });
  });

  it('ignores recall values outside 0..1 (a broken card must not skew the mean)', () => {
    const cells = emptySnapshotCells();
    addRecall(cells, 'Ops', { a: Number.NaN, b: 1.5, c: 0.4 }, (r: number) => r);
    expect(Object.keys(cells.Ops!)).toEqual(['c']);
  });

  it('builds the table in course clause order with each mean, a department total and a band', () => {
    const cells = {
      Sales: { 'SMP-01': { learners: 2, recallSum: 1.6 }, 'SMP-02': { learners: 1, recallSum: 0.3 } },
      Engineering: { 'SMP-01': { learners: 1, recallSum: 0.95 } },
    };
    const table = knowledgeTable(cells, ['SMP-01', 'SMP-02', 'SMP-03']);
    expect(table.departments).toEqual(['Engineering', 'Sales']);
    expect(table.rows.map((r) => r.clauseId)).toEqual(['SMP-01', 'SMP-02', 'SMP-03']);
    const first = table.rows[0]!;
    expect(first.cells.map((c) => c.mean)).toEqual([0.95, 0.8]);
    expect(first.cells.map((c) => c.learners)).toEqual([1, 2]);
    expect(first.overall.mean).toBeCloseTo(2.55 / 3, 10);
    expect(table.rows[1]!.cells[0]).toEqual({
      department: 'Engineering',
      learners: 0,
      mean: null,
      band: null,
    });
    expect(table.rows[2]!.overall).toEqual({ learners: 0, mean: null });
  });

  it('puts every mean in one of the heat bands, lowest first', () => {
    expect(heatBand(0)).toBe(0);
    expect(heatBand(0.39)).toBe(0);
    expect(heatBand(0.4)).toBe(1);
    expect(heatBand(0.95)).toBe(HEAT_BANDS.length - 1);
    expect(heatBand(1)).toBe(HEAT_BANDS.length - 1);
  });
});

describe('change over the last four quarters', () => {
  it('gives each clause its overall mean per quarter and the change from the first known one', () => {
    const quarters = ['2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4'];
    const snapshots = {
      '2026-Q1': { Sales: { a: { learners: 2, recallSum: 1.0 } } },
      '2026-Q3': {
        Sales: { a: { learners: 2, recallSum: 1.4 } },
        Ops: { b: { learners: 1, recallSum: 0.9 } },
      },
      '2026-Q4': { Sales: { a: { learners: 4, recallSum: 3.2 } } },
    };
    const change = quarterChange(snapshots, quarters, ['a', 'b']);
    expect(change.quarters).toEqual(quarters);
    expect(change.rows[0]!.means).toEqual([0.5, null, 0.7, 0.8]);
    expect(change.rows[0]!.change).toBeCloseTo(0.3, 10);
    // b is known in one quarter only: no change to report.
    expect(change.rows[1]!.means).toEqual([null, null, 0.9, null]);
    expect(change.rows[1]!.change).toBeNull();
  });
});

describe('tested out versus studied', () => {
  it('counts each decided refresher once per clause and ranks clauses by each count', () => {
    const counts = {};
    const checked = { pretestAttemptId: 'x:pretest', changed: [] };
    addRefresher(counts, { ...checked, testedOut: ['a', 'b'], study: ['c'] });
    addRefresher(counts, { ...checked, testedOut: ['a'], study: ['b', 'c'] });
    addRefresher(counts, { ...checked, testedOut: ['a'], study: ['c', 'c'] });
    expect(counts).toEqual({
      a: { testedOut: 3, studied: 0, changed: 0 },
      b: { testedOut: 1, studied: 1, changed: 0 },
      c: { testedOut: 0, studied: 3, changed: 0 },
    });
    const ranking = refresherRanking([counts, { b: { testedOut: 2, studied: 0 } }], 2);
    expect(ranking.testedOut.map((r) => [r.clauseId, r.count, r.of])).toEqual([
      ['a', 3, 3],
      ['b', 3, 4],
    ]);
    expect(ranking.studied.map((r) => [r.clauseId, r.count])).toEqual([
      ['c', 3],
      ['b', 1],
    ]);
  });
});

describe('tested out versus studied: declines and changed clauses (review fix 4)', () => {
  it('leaves a declined check out and counts a changed clause as changed, not studied', () => {
    const counts = {};
    // Declined the check: the full path, nothing learnt about what the learner knows.
    addRefresher(counts, {
      pretestAttemptId: null,
      testedOut: [],
      study: ['SMP-01', 'SMP-02', 'SMP-04'],
      changed: [],
    });
    addRefresher(counts, {
      pretestAttemptId: 'c:pretest',
      testedOut: ['SMP-01'],
      study: ['SMP-02', 'SMP-04'],
      changed: ['SMP-04'],
    });
    expect(counts).toEqual({
      'SMP-01': { testedOut: 1, studied: 0, changed: 0 },
      'SMP-02': { testedOut: 0, studied: 1, changed: 0 },
      'SMP-04': { testedOut: 0, studied: 0, changed: 1 },
    });
    const ranking = refresherRanking([counts], 5);
    expect(ranking.studied.map((r) => r.clauseId)).toEqual(['SMP-02']);
    expect(ranking.changed.map((r) => [r.clauseId, r.count, r.of])).toEqual([['SMP-04', 1, 1]]);
  });
});

describe('heat palette', () => {
  it('gives every band text with at least 4.5:1 contrast on its fill', () => {
    for (const band of HEAT_BANDS)
      expect(contrastRatio(band.fill, band.text), band.label).toBeGreaterThanOrEqual(4.5);
  });
});
