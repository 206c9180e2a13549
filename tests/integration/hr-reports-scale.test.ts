import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AssignmentDoc } from '../../src/db/models/training.js';
import { REPORT_STATES } from '../../src/domain/reporting.js';
import { buildPerson, COURSE_ID } from '../factories.js';
import { createTestApp, loginAs, type Session, type TestApp } from '../helpers/app.js';
import { assignment } from './hr-reports-support.js';

// A small-scale smoke of the 100k design (the real timing is the benchmark's job):
// 5,000 people and assignments inserted in bulk, then dashboard, paging and export.
const N = 5000;
const DAY = 86_400_000;

let t: TestApp;
let hr: Session;
const rowsIn = (html: string, state: string) => {
  const start = html.indexOf(`id="list-${state}"`);
  const section = html.slice(start, html.indexOf('</section>', start));
  return [...section.matchAll(/<td>(\d{4}-\d{2}-\d{2})<\/td>/g)].map((m) => m[1]!);
};

beforeAll(async () => {
  t = await createTestApp({ label: 'hr-reports-scale' });
  const now = t.clock.now();
  const people = Array.from({ length: N }, (_, i) =>
    buildPerson({
      email: `p${i}@scale.test`,
      name: `Person ${String(i).padStart(4, '0')}`,
      department: `D${i % 10}`,
      createdAt: now,
      updatedAt: now,
    }),
  );
  const docs: AssignmentDoc[] = people.map((p, i) =>
    assignment(p, REPORT_STATES[i % REPORT_STATES.length]!, {
      dueAt: new Date(Date.UTC(2026, 0, 1) + (i % 90) * DAY),
    }),
  );
  for (let i = 0; i < N; i += 1000) {
    await t.app.db.models.User.insertMany(people.slice(i, i + 1000), { ordered: false });
    await t.app.db.models.Assignment.insertMany(docs.slice(i, i + 1000), { ordered: false });
  }
  hr = await loginAs(t.app, 'hr@demo.test');
});
afterAll(async () => t.close());

describe(`reports over ${N} assignments`, () => {
  it('recomputes the summary in one pass', async () => {
    const started = Date.now();
    const [summary] = await t.app.services.reporting.recomputeSummaries({ now: t.clock.now() });
    console.info(`[hr-reports-scale] recompute ${N}: ${Date.now() - started} ms`);
    expect(summary!.total).toBe(N);
    expect(summary!.lists).toEqual([
      { state: 'overdue', rows: 833, chunks: 2 },
      { state: 'due-soon', rows: 833, chunks: 2 },
    ]);
  });

  it('renders the dashboard and pages through the overdue list, most overdue first', async () => {
    const started = Date.now();
    const first = await hr.get('/hr/dashboard');
    console.info(`[hr-reports-scale] dashboard: ${Date.now() - started} ms`);
    expect(first.statusCode).toBe(200);
    const page1 = rowsIn(first.body, 'overdue');
    expect(page1).toHaveLength(25);
    expect([...page1].sort()).toEqual(page1);
    expect(first.body).toContain('overduePage=2');

    const total = 833; // i % 6 === 4
    const lastPage = Math.ceil(total / 25);
    const last = await hr.get(`/hr/dashboard?overduePage=${lastPage}`);
    expect(rowsIn(last.body, 'overdue')).toHaveLength(total - (lastPage - 1) * 25);
    expect(last.body).not.toContain(`overduePage=${lastPage + 1}`);
    expect(last.body).toContain(`overduePage=${lastPage - 1}`);
    // Page 21 sits in the second stored chunk.
    expect(rowsIn((await hr.get('/hr/dashboard?overduePage=21')).body, 'overdue')).toHaveLength(25);
  });

  it('pages a filtered action list and a live state list', async () => {
    const d3 = await hr.get('/hr/dashboard?department=D3&overduePage=2');
    expect(d3.statusCode).toBe(200);
    expect(d3.body).toMatch(/<td>D3<\/td>/);
    expect(d3.body).not.toMatch(/<td>D4<\/td>/);
    const p1 = (await hr.get('/hr/dashboard?state=completed&page=1')).body;
    const p2 = (await hr.get('/hr/dashboard?state=completed&page=2')).body;
    const names = (html: string) => [...html.matchAll(/>(Person \d{4})</g)].map((m) => m[1]);
    expect(names(p1)).toHaveLength(25);
    expect(names(p2)).toHaveLength(25);
    expect(names(p1).filter((n) => names(p2).includes(n))).toEqual([]);
  });

  it('streams the full CSV export', async () => {
    const started = Date.now();
    const res = await hr.get(`/hr/reports/status.csv?course=${COURSE_ID}`);
    console.info(`[hr-reports-scale] export ${N} rows: ${Date.now() - started} ms`);
    expect(res.statusCode).toBe(200);
    const rows: string[][] = parse(res.body, { bom: true });
    expect(rows).toHaveLength(N + 1);
    expect(rows.find((r) => r[2] === 'p42@scale.test')?.slice(1, 4)).toEqual([
      'Person 0042',
      'p42@scale.test',
      'D2',
    ]);
  });
});
