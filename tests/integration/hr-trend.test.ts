import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trendSettled } from '../../src/services/reporting/trend.js';
import { buildAssignment, buildCycle, buildPerson } from '../factories.js';
import { createTestApp, loginAs, type Session, type TestApp } from '../helpers/app.js';
import { tableRow } from './hr-reports-support.js';

// The test clock stands on Monday 2 March 2026, 09:00 UTC. Two people in a department of their
// own, assigned on 5 January: one completes on 10 February (valid a year), one never does.
const DEPARTMENT = 'Trend Watchers';
let t: TestApp;
let hr: Session;

beforeAll(async () => {
  t = await createTestApp({ label: 'hr-trend' });
  const { User, Assignment, Cycle } = t.app.db.models;
  const done = buildPerson({ email: 'done@trend.test', department: DEPARTMENT });
  const notYet = buildPerson({ email: 'not-yet@trend.test', department: DEPARTMENT });
  await User.insertMany([done, notYet]);
  const completion = {
    completedAt: new Date('2026-02-10T12:00:00Z'),
    expiresAt: new Date('2027-02-10T00:00:00Z'),
  };
  await Assignment.insertMany([
    buildAssignment(done, { state: 'completed', ...completion }),
    buildAssignment(notYet, { state: 'overdue' }),
  ]);
  await Cycle.insertMany([buildCycle(done, 1, completion), buildCycle(notYet, 1)]);
  await t.app.services.reporting.recomputeSummaries({ now: t.clock.now() });
  hr = await loginAs(t.app, 'hr@demo.test');
});
afterAll(async () => t.close());

const url = `/hr/dashboard?course=social-media-policy&department=${encodeURIComponent(DEPARTMENT)}`;

describe('completion-rate trend on the dashboard', () => {
  it('says the trend is being counted on a first visit, then draws it as an SVG line with its table', async () => {
    const first = await hr.get(url);
    expect(first.statusCode).toBe(200);
    expect(first.body).toContain('The weekly trend is being counted');
    await trendSettled(t.app.db.models);

    const html = (await hr.get(url)).body;
    const svg =
      /<svg[^>]*aria-labelledby="trend-title trend-desc"[^>]*>[\s\S]*?<\/svg>/.exec(html)?.[0] ?? '';
    expect(svg).toContain('role="img"');
    expect(svg).toMatch(/<title id="trend-title">Weekly completion rate, [^<]+<\/title>/);
    expect(svg).toMatch(
      /<desc id="trend-desc">[^<]*from 0% in the week of 5 January 2026 to 50% in the week of 2 March 2026/,
    );
    expect(svg).toMatch(/<path class="trend-line" d="M[\d. ML]+"/);

    // The table behind the chart: the week of 2 February ended before the completion, the next did not.
    expect(tableRow(html, 'Week of 2 February 2026')).toEqual(['2', '0', '0%']);
    expect(tableRow(html, 'Week of 9 February 2026')).toEqual(['2', '1', '50%']);
    expect(tableRow(html, 'Week of 2 March 2026')).toEqual(['2', '1', '50%']);
    // Before the assignments, nobody was assigned: no rate rather than 0 %.
    expect(tableRow(html, 'Week of 29 December 2025')).toEqual(['0', '0', '—']);
  });
});
