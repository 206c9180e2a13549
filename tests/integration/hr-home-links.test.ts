import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserDoc } from '../../src/db/models/user.js';
import { needsMeSettled } from '../../src/services/reporting/needs-me.js';
import { buildAssignment, buildCycle, buildPerson } from '../factories.js';
import { createTestApp, loginAs, type Session, type TestApp } from '../helpers/app.js';

// Issue #28: every figure on HR home links to a people list showing exactly the people it counts.
let t: TestApp;
let hr: Session;
const DAY = 86_400_000;
const soon = buildPerson({ name: 'Links Soon', department: 'Links' });
const renewing = buildPerson({ name: 'Links Renewing', department: 'Links' });
const later = buildPerson({ name: 'Links Later', department: 'Links' });
const nowhere = buildPerson({ name: 'Links Nowhere', department: '' });

beforeAll(async () => {
  t = await createTestApp({ label: 'hr-home-links' });
  const now = t.clock.now().getTime();
  const inDays = (d: number) => new Date(now + d * DAY);
  const { Assignment, Cycle, User } = t.app.db.models;
  await User.insertMany([soon, renewing, later, nowhere]);
  await Assignment.insertMany([
    buildAssignment(soon, { state: 'completed', completedAt: inDays(-340), expiresAt: inDays(25) }),
    // The refresher cycle is open: the summary is not "completed", the completed cycle expires soon.
    buildAssignment(renewing, { state: 'due-soon', cycleNo: 2 }),
    buildAssignment(later, { state: 'completed', completedAt: inDays(-300), expiresAt: inDays(65) }),
    buildAssignment(nowhere, { state: 'overdue' }),
  ]);
  const completed = (u: UserDoc, n: number, expiresInDays: number) =>
    buildCycle(u, n, { completedAt: inDays(expiresInDays - 365), expiresAt: inDays(expiresInDays) });
  await Cycle.insertMany([
    completed(soon, 1, 25),
    completed(renewing, 1, 5),
    buildCycle(renewing, 2),
    completed(later, 1, 65),
  ]);
  hr = await loginAs(t.app, 'hr@demo.test');
  await hr.get('/hr');
  await needsMeSettled(t.app.db.models);
});
afterAll(async () => t.close());

/** The figure and links of one "needs me" item. */
function item(html: string, id: string) {
  const start = html.indexOf(`id="${id}"`);
  expect(start, id).toBeGreaterThan(0);
  const part = html.slice(start, html.indexOf('</li>', start));
  return {
    n: Number(/<span class="needs-n">(\d+)<\/span>/.exec(part)?.[1]),
    hrefs: [...part.matchAll(/href="([^"]+)"/g)].map((m) => (m[1] ?? '').replaceAll('&amp;', '&')),
  };
}
const matching = (html: string) => Number(/(\d+) (?:people match|person matches)/.exec(html)?.[1]);

describe('HR home links lead to the people they count', () => {
  it('certificates expiring in the next 30 days: the list shows exactly the people counted', async () => {
    const expiring = item((await hr.get('/hr')).body, 'needs-expiring');
    const link = expiring.hrefs[0]!;
    expect(link).toContain('state=expiring');
    const list = await hr.get(link);
    expect(list.statusCode).toBe(200);
    expect(matching(list.body)).toBe(expiring.n);
    expect(list.body).toContain('Links Soon');
    expect(list.body).toContain('Links Renewing');
    expect(list.body).not.toContain('Links Later');
  });

  it('overdue people without a department: the row links to them', async () => {
    const html = (await hr.get('/hr')).body;
    const row =
      /<tr><th scope="row"><a href="([^"]+)">No department<\/a><\/th><td class="num">(\d+)<\/td><\/tr>/.exec(
        html,
      );
    expect(row).not.toBeNull();
    const list = await hr.get(row![1]!.replaceAll('&amp;', '&'));
    expect(list.statusCode).toBe(200);
    expect(matching(list.body)).toBe(Number(row![2]));
    expect(list.body).toContain('Links Nowhere');
  });
});
