import { describe, expect, it } from 'vitest';
import {
  CellCounter,
  completionByDepartment,
  countByState,
  dueRange,
  isStale,
  monthKey,
  topClauseMisses,
} from '../../../src/domain/reporting.js';
import { barChart } from '../../../src/routes/hr/dashboard/chart.js';
import { neutraliseCell, statusCsvRow } from '../../../src/services/reporting/csv-rows.js';
import { pageOf } from '../../../src/services/reporting/paging.js';

const d = (iso: string) => new Date(iso);

function sampleCells() {
  const c = new CellCounter();
  c.add('Sales', 'completed', d('2026-01-31T23:59:59Z'));
  c.add('Sales', 'completed', d('2026-02-01T00:00:00Z'));
  c.add('Sales', 'overdue', d('2026-02-15T00:00:00Z'));
  c.add('Sales', 'not-started', null);
  c.add('Eng.$ops', 'completed', d('2026-03-10T00:00:00Z'));
  c.add('Eng.$ops', 'weird-state', d('2026-03-10T00:00:00Z'));
  return c.cells();
}

describe('summary cells', () => {
  it('keys months in UTC and keeps free-text departments as values', () => {
    expect(monthKey(d('2026-01-31T23:59:59Z'))).toBe('2026-01');
    expect(monthKey(null)).toBe('');
    const cells = sampleCells();
    expect(
      cells.find((c) => c.department === 'Sales' && c.state === 'completed' && c.month === '2026-01')?.n,
    ).toBe(1);
    expect(cells.map((c) => c.department)).toContain('Eng.$ops');
  });

  it('counts states, with unknown states apart and a total', () => {
    const counts = countByState(sampleCells(), {});
    expect(counts).toMatchObject({
      total: 6,
      completed: 3,
      overdue: 1,
      'not-started': 1,
      other: 1,
      expired: 0,
    });
  });

  it('filters by department and an inclusive due-month range, leaving out undated rows', () => {
    expect(countByState(sampleCells(), { department: 'Sales' }).total).toBe(4);
    const feb = countByState(sampleCells(), { fromMonth: '2026-02', toMonth: '2026-02' });
    expect(feb).toMatchObject({ total: 2, completed: 1, overdue: 1, 'not-started': 0 });
    expect(countByState(sampleCells(), { toMonth: '2026-01' }).total).toBe(1);
  });

  it('computes completion rate per department, sorted by name', () => {
    expect(completionByDepartment(sampleCells(), {})).toEqual([
      { department: 'Eng.$ops', total: 2, completed: 1, rate: 0.5 },
      { department: 'Sales', total: 4, completed: 2, rate: 0.5 },
    ]);
  });

  it('turns a month range into a half-open date range', () => {
    expect(dueRange({ fromMonth: '2026-02', toMonth: '2026-12' })).toEqual({
      from: d('2026-02-01T00:00:00Z'),
      before: d('2027-01-01T00:00:00Z'),
    });
    expect(dueRange({})).toEqual({});
  });

  it('calls a summary stale after twenty minutes (longer than the 15-minute sweep that rewrites it)', () => {
    const asOf = d('2026-03-02T09:00:00Z');
    expect(isStale(asOf, d('2026-03-02T09:20:00Z'))).toBe(false);
    expect(isStale(asOf, d('2026-03-02T09:20:01Z'))).toBe(true);
  });
});

describe('clause misses', () => {
  it('ranks by wrong answers, then wrong rate, and drops clauses nobody got wrong', () => {
    const top = topClauseMisses(
      [
        { clauseId: 'A', wrong: 3, total: 30 },
        { clauseId: 'B', wrong: 3, total: 4 },
        { clauseId: 'C', wrong: 0, total: 10 },
        { clauseId: 'D', wrong: 7, total: 70 },
      ],
      3,
    );
    expect(top.map((m) => m.clauseId)).toEqual(['D', 'B', 'A']);
  });
});

describe('bar chart geometry', () => {
  it('scales bars to the plot width and stacks them', () => {
    const g = barChart(
      [
        { department: 'A', total: 4, completed: 4, rate: 1 },
        { department: 'B', total: 4, completed: 1, rate: 0.25 },
        { department: '', total: 0, completed: 0, rate: 0 },
      ],
      { width: 600, labelWidth: 144 },
    );
    expect(g.plotWidth).toBe(400);
    expect(g.bars.map((b) => b.barWidth)).toEqual([400, 100, 0]);
    expect(g.bars[1]!.y - g.bars[0]!.y).toBe(32);
    expect(g.bars.map((b) => b.valueLabel)).toEqual(['100%', '25%', '0%']);
    expect(g.bars[2]!.label).toBe('(no department)');
    expect(g.ticks.map((t) => t.x)).toEqual([144, 244, 344, 444, 544]);
    expect(g.height).toBeGreaterThan(g.bars[2]!.y + g.barHeight);
  });
});

describe('CSV cells', () => {
  it('neutralises cells a spreadsheet would run as formulas', () => {
    for (const bad of ["=cmd|' /C calc'!A0", '+1', '-1', '@SUM(A1)', '\t=1', '\r=1']) {
      expect(neutraliseCell(bad)).toBe(`'${bad}`);
    }
    for (const fine of ['Ava', 'a=b', '', ' =x']) expect(neutraliseCell(fine)).toBe(fine);
  });

  it('neutralises full-width, small and minus-sign lookalikes and a leading line feed', () => {
    for (const bad of ['＝1+1', '＋1', '－1', '＠SUM(A1)', '﹦1', '﹢1', '﹣1', '﹫A1', '−1', '\n=1']) {
      expect(neutraliseCell(bad)).toBe(`'${bad}`);
    }
    for (const fine of ['Zoë', 'a＝b', '１２３']) expect(neutraliseCell(fine)).toBe(fine);
  });

  it('shapes a status row with ISO days and an empty score when there is none', () => {
    const row = statusCsvRow({
      employeeId: 'E1',
      name: '=HYPERLINK("x")',
      email: 'a@b.test',
      department: 'Sales',
      manager: 'Morgan',
      course: 'smp',
      cycle: 2,
      state: 'overdue',
      dueAt: d('2026-02-15T10:00:00Z'),
      completedAt: null,
      expiresAt: null,
      score: null,
      language: 'es',
    });
    expect(row).toEqual([
      'E1',
      `'=HYPERLINK("x")`,
      'a@b.test',
      'Sales',
      'Morgan',
      'smp',
      '2',
      'overdue',
      '2026-02-15',
      '',
      '',
      '',
      'es',
    ]);
  });
});

describe('pagination', () => {
  it('shows a page and knows about the next one from one extra item', () => {
    expect(pageOf([1, 2, 3], 1, 2)).toEqual({ items: [1, 2], page: 1, hasNext: true });
    expect(pageOf([1, 2], 2, 2)).toEqual({ items: [1, 2], page: 2, hasNext: false });
  });
});
