import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ASSIGNMENT_LOCALES_MIGRATION, copyLocalesToAssignments } from '../../src/db/assignment-locales.js';
import { assignmentKey } from '../../src/db/keys.js';
import { COURSE_ID } from '../factories.js';
import { createTestApp, createUser, loginAs, type TestApp } from '../helpers/app.js';

// Issue #26: the person's language travels in the person copy every assignment carries, so the
// sweep writes each reminder in the recipient's language without reading the person.
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ label: 'assignment-language' });
});
afterAll(async () => t.close());

const course = () => t.app.courses.get(COURSE_ID)!;
const copied = async (userId: string) =>
  (await t.app.db.models.Assignment.findById(assignmentKey(userId, COURSE_ID)).lean())?.locale;

async function enrolled(email: string, locale: string) {
  const user = await createUser(t.app, { email, name: 'Lena Lang', locale });
  await t.app.services.assignments.ensureEnrolled({
    learner: { id: user._id, department: 'Sales' },
    course: course(),
    now: t.clock.now(),
  });
  return user;
}

describe("the person's language on their assignments", () => {
  it('is copied when the assignment is written and follows HR, the switcher and a clearing', async () => {
    const user = await enrolled('lena@copy.test', 'es');
    expect(await copied(user._id)).toBe('es');
    await t.app.services.people.updatePerson({
      userId: user._id,
      changes: { locale: 'de' },
      actorId: null,
      now: t.clock.now(),
    });
    expect(await copied(user._id)).toBe('de');
    const s = await loginAs(t.app, 'lena@copy.test');
    expect((await s.post('/language', { lang: 'ar', next: '/' })).statusCode).toBe(303);
    expect(await copied(user._id)).toBe('ar');
    await t.app.services.people.updatePerson({
      userId: user._id,
      changes: { locale: '' },
      actorId: null,
      now: t.clock.now(),
    });
    expect(await copied(user._id)).toBe('');
  });

  it('follows a CSV import that changes the language', async () => {
    const user = await enrolled('csv-lang@copy.test', '');
    const preview = await t.app.services.people.previewImport({
      csv: ['email,name,department,language', 'csv-lang@copy.test,Lena Lang,Sales,es'].join('\n'),
      fileName: 'people.csv',
      deactivateMissing: false,
      actorId: 'hr-test',
      now: t.clock.now(),
    });
    await t.app.services.people.applyImport({
      previewId: preview._id,
      actorId: 'hr-test',
      now: t.clock.now(),
    });
    expect(await copied(user._id)).toBe('es');
  });

  it('is backfilled once at start onto assignments written before the copy', async () => {
    const german = await enrolled('old-de@copy.test', 'de');
    const none = await enrolled('old-none@copy.test', '');
    // Assignments as written before the copy existed: no locale field.
    await t.app.db.models.Assignment.collection.updateMany(
      { _id: { $in: [assignmentKey(german._id, COURSE_ID), assignmentKey(none._id, COURSE_ID)] } } as never,
      { $unset: { locale: '' } },
    );
    expect(await copied(german._id)).toBeUndefined();
    await t.app.db.conn
      .db!.collection('migrations')
      .deleteOne({ _id: ASSIGNMENT_LOCALES_MIGRATION as never });
    const result = await copyLocalesToAssignments(t.app.db.models);
    expect(result?.copied).toBeGreaterThanOrEqual(1);
    expect(await copied(german._id)).toBe('de');
    expect(await copied(none._id)).toBeUndefined();
    // Once per database.
    expect(await copyLocalesToAssignments(t.app.db.models)).toBeNull();
  });
});
