import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { UserDoc } from '../../src/db/models/user.js';
import { buildPerson } from '../factories.js';
import { createTestApp, loginAs, type Session, type TestApp } from '../helpers/app.js';

/**
 * The HR people list is served from the process's copy of the directory: sorted and searched in
 * memory, current at once for people HR writes here, and after a minute for other processes' writes.
 */

let t: TestApp;
let hr: Session;

/** People written straight to the database, as another process (an HR system sync) would. */
function outsider(i: number, extra: Partial<UserDoc> = {}): UserDoc {
  const now = t.clock.now();
  return buildPerson({
    email: `crew${i}@demo.test`,
    name: `Crew ${String(i).padStart(2, '0')}`,
    employeeId: `C${1000 + i}`,
    department: i % 2 ? 'Night Shift' : 'Day Shift',
    createdAt: now,
    updatedAt: now,
    ...extra,
  });
}

/** The names in the list's table, in order. */
const namesIn = (html: string) =>
  [...html.matchAll(/<td><a href="\/hr\/people\/[^"]+\/edit">([^<]+)<\/a><\/td>/g)].map((m) => m[1]!);

beforeAll(async () => {
  t = await createTestApp({ label: 'hr-people-directory' });
  t.clock.set('2026-05-04T09:00:00Z');
  await t.app.db.models.User.insertMany(Array.from({ length: 40 }, (_, i) => outsider(i)));
  hr = await loginAs(t.app, 'hr@demo.test');
});
afterAll(async () => t.close());

describe('the people list', () => {
  it('pages through everyone sorted by name, in the order the database sorts them', async () => {
    const everyone = await t.app.db.models.User.find({}, { name: 1 }).sort({ name: 1, _id: 1 }).lean();
    const seen: string[] = [];
    for (let page = 1; ; page += 1) {
      const res = await hr.get(`/hr/people?page=${page}`);
      expect(res.statusCode).toBe(200);
      const names = namesIn(res.body);
      expect(names.length).toBeLessThanOrEqual(25);
      seen.push(...names);
      if (!res.body.includes('rel="next"')) break;
    }
    expect(seen).toEqual(everyone.map((p) => p.name));
  });

  it('finds people by name, e-mail, employee ID or department, ignoring case', async () => {
    expect(namesIn((await hr.get('/hr/people?q=crew%2007')).body)).toEqual(['Crew 07']);
    expect(namesIn((await hr.get('/hr/people?q=CREW12%40DEMO')).body)).toEqual(['Crew 12']);
    expect(namesIn((await hr.get('/hr/people?q=c1031')).body)).toEqual(['Crew 31']);
    const night = namesIn((await hr.get('/hr/people?q=night%20shift')).body);
    expect(night).toHaveLength(20);
    expect(night[0]).toBe('Crew 01');
    const page2 = await hr.get('/hr/people?q=shift&page=2');
    expect(namesIn(page2.body)).toHaveLength(15);
    expect(page2.body).not.toContain('rel="next"');
    // Pattern characters are plain text, never a pattern.
    expect(namesIn((await hr.get('/hr/people?q=.*')).body)).toEqual([]);
  });

  it('shows a person HR adds or renames here at once', async () => {
    const form = (changes: Record<string, string>) => ({
      email: 'zed.new@demo.test',
      employeeId: 'E7001',
      department: 'Ops',
      managerEmail: '',
      hireDate: '',
      locale: 'en',
      role: 'employee',
      ...changes,
    });
    const added = await hr.post(
      '/hr/people/new',
      form({ name: 'Aaron Added', active: 'yes' }),
      '/hr/people/new',
    );
    expect(added.statusCode).toBe(303);
    expect(namesIn((await hr.get('/hr/people')).body)[0]).toBe('Aaron Added');

    // Renamed, and made inactive (the box left unticked).
    const person = (await t.app.db.models.User.findOne({ email: 'zed.new@demo.test' }).lean())!;
    const edit = `/hr/people/${person._id}/edit`;
    expect((await hr.post(edit, form({ name: 'Zed Renamed' }), edit)).statusCode).toBe(303);
    const list = (await hr.get('/hr/people?q=e7001')).body;
    expect(namesIn(list)).toEqual(['Zed Renamed']);
    expect(list).toContain('Inactive');
    expect(namesIn((await hr.get('/hr/people?q=aaron')).body)).toEqual([]);
  });

  it('shows people another process wrote once its copy is a minute old', async () => {
    await t.app.db.models.User.insertMany([outsider(90, { name: 'Synced Later' })]);
    expect(namesIn((await hr.get('/hr/people?q=synced')).body)).toEqual([]);
    t.clock.advance(61_000);
    // That view starts a reload in the background and shows the copy it has; the reload follows.
    await vi.waitFor(async () => {
      expect(namesIn((await hr.get('/hr/people?q=synced')).body)).toEqual(['Synced Later']);
    });
  });
});
