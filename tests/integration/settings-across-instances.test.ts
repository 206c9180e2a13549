import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usersRepository } from '../../src/db/repositories/users.js';
import type { XapiSettingsInput } from '../../src/services/xapi/settings.js';
import { COURSE_ID } from '../factories.js';
import { createSecondApp, createTestApp, type TestApp } from '../helpers/app.js';

/**
 * Issue #30: two instances on one database. What an admin or HR changes in instance A (a published
 * policy version, the organisation profile, the LRS settings) is what instance B serves within a
 * second (the change feed's `setting` entries), not after B's own re-read (5 s, 30 s, 60 s; and
 * never here, as the test clock stands still).
 */
const WITHIN_A_SECOND = { timeout: 1000, interval: 50 };
const NEW_SENTENCE = 'Instance B serves this sentence within a second of the approval in A.';

let a: TestApp;
let b: TestApp;

beforeAll(async () => {
  a = await createTestApp({ label: 'settings-across', config: { XAPI_ALLOWED_HOSTS: '127.0.0.1' } });
  b = await createSecondApp(a);
});

afterAll(async () => {
  await b?.close();
  await a?.close();
});

const person = async (email: string) => (await usersRepository(a.app.db.models).findByEmail(email))!;

describe('a change in one instance is served by the other within a second', () => {
  it('a policy version published in A', async () => {
    const before = b.app.catalogue.overlayOf(COURSE_ID).n;
    const [hr, admin] = [await person('hr@demo.test'), await person('admin@demo.test')];
    const template = a.app.catalogue.templates.get(COURSE_ID)!.clauses[0]!;
    const policy = a.app.services.policy;
    const now = a.clock.now();
    const wording = {
      title: template.title,
      summary: template.summary,
      text: `${template.text}\n\n${NEW_SENTENCE}`,
    };
    const edit = { actorId: hr._id, courseId: COURSE_ID, clauseId: template.id, wording, now };
    expect(await policy.editClause({ ...edit, kind: 're-attest' })).toEqual({ ok: true });
    expect(await policy.submitDraft({ actorId: hr._id, courseId: COURSE_ID, note: 'Across.', now })).toEqual({
      ok: true,
    });
    await policy.approveAndPublish({
      approver: { id: admin._id, role: 'admin' },
      courseId: COURSE_ID,
      dueAt: new Date(now.getTime() + 30 * 86_400_000),
      now,
    });
    expect(a.app.catalogue.overlayOf(COURSE_ID).n).toBe(before + 1);
    await expect.poll(() => b.app.catalogue.overlayOf(COURSE_ID).n, WITHIN_A_SECOND).toBe(before + 1);
    const served = b.app.courses.get(COURSE_ID)!.clauses.find((c) => c.id === template.id)!;
    expect(served.text).toContain(NEW_SENTENCE);
  });

  it('the organisation profile saved in A (its pages and the courses it names)', async () => {
    await b.app.services.organisation.currentProfile();
    const {
      logo: _l,
      updatedAt: _u,
      updatedBy: _b,
      ...values
    } = await a.app.services.organisation.currentProfile();
    const admin = await person('admin@demo.test');
    await a.app.services.organisation.saveProfile({
      actorId: admin._id,
      values: { ...values, name: 'Renamed In A Ltd' },
      logo: null,
      now: a.clock.now(),
    });
    await expect
      .poll(async () => (await b.app.services.organisation.currentProfile()).name, WITHIN_A_SECOND)
      .toBe('Renamed In A Ltd');
    await expect
      .poll(() => b.app.catalogue.values().get('org.name'), WITHIN_A_SECOND)
      .toBe('Renamed In A Ltd');
  });

  it('xAPI sending turned off in A: B stops queueing statements', async () => {
    const admin = await person('admin@demo.test');
    const employee = await person('employee@demo.test');
    const lessonId = a.app.courses.get(COURSE_ID)!.lessons[0]!.id;
    const settings = (enabled: boolean): XapiSettingsInput => ({
      enabled,
      endpoint: 'http://127.0.0.1:9/xapi',
      key: 'key',
      secret: enabled ? 'secret' : '',
      actor: 'account',
    });
    const save = (enabled: boolean) =>
      a.app.services.xapi.saveSettings({ actorId: admin._id, input: settings(enabled), now: a.clock.now() });
    let n = 0;
    const rows = () => b.app.db.models.XapiOutbox.countDocuments({});
    /** Whether B queues a new learning event now. */
    const bQueues = async () => {
      n += 1;
      const before = await rows();
      await b.app.services.xapi.recordLearningEvent({
        event: {
          kind: 'lessonCompleted',
          key: `across-${n}`,
          userId: employee._id,
          courseId: COURSE_ID,
          lessonId,
          at: b.clock.now(),
        },
        now: b.clock.now(),
      });
      return (await rows()) > before;
    };

    expect(await save(true)).toEqual({ ok: true });
    await expect.poll(bQueues, WITHIN_A_SECOND).toBe(true);
    expect(await save(false)).toEqual({ ok: true });
    await expect.poll(bQueues, WITHIN_A_SECOND).toBe(false);
  });
});
