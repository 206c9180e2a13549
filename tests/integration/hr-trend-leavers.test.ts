import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countCourseTrend } from '../../src/services/reporting/trend.js';
import { COURSE_ID } from '../factories.js';
import { DESK, type LeaversWorld, leaversWorld, NOW } from './hr-leavers-support.js';

let w: LeaversWorld;
beforeAll(async () => {
  w = await leaversWorld('hr-trend-leavers');
});
afterAll(async () => w.t.close());

describe('completion-rate trend and leavers', () => {
  it('keeps the weeks before someone left as they were counted', async () => {
    const models = w.t.app.db.models;
    const before = await countCourseTrend(models, COURSE_ID, NOW);
    await w.leave();
    const after = await countCourseTrend(models, COURSE_ID, NOW);
    const desk = (cells: typeof before.cells, week: string) =>
      cells.find((c) => c.department === DESK && c.week === week) ?? null;
    // The week of 3 August ended before Cora completed; the week of 10 August did not.
    expect(desk(before.cells, '2026-08-03')).toMatchObject({ assigned: 2, completed: 0 });
    expect(desk(before.cells, '2026-08-10')).toMatchObject({ assigned: 2, completed: 1 });
    for (const week of after.weeks.slice(0, -1))
      expect(desk(after.cells, week.week), week.week).toEqual(desk(before.cells, week.week));
  });
});
