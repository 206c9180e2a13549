import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COURSE_ID } from '../factories.js';
import { createTestApp, loginAs, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ label: 'hr-dashboard-no-clauses' });
});
afterAll(async () => t.close());

describe('dashboard', () => {
  it('shows a course whose stored summary has no clause figures yet', async () => {
    await t.app.services.reporting.recomputeSummaries({ now: t.clock.now() });
    // As a visit between a summary's first write and its clause figures' would read it.
    await t.app.db.models.ReportSummary.collection.updateOne(
      { _id: COURSE_ID as never },
      { $unset: { clauseMisses: '', clausesAsOf: '' } },
    );
    const hr = await loginAs(t.app, 'hr@demo.test');
    const res = await hr.get(`/hr/dashboard?course=${COURSE_ID}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Clauses learners get wrong most often');
  });
});
