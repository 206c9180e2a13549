import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lessonViewKey } from '../../src/db/keys.js';
import { trainingRepository } from '../../src/db/repositories/training.js';
import { DEFAULT_PROFILE, type OrgProfileValues } from '../../src/domain/org-profile.js';
import { createTestApp, createUser, loginAs, type TestApp } from '../helpers/app.js';
import { pdfText } from '../helpers/pdf-text.js';
import { course } from './records-helpers.js';

/**
 * A certificate names the organisation as it was when it was issued: renaming the organisation
 * later does not rewrite old certificates (PDF and /verify), while new ones carry the new name.
 */
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ label: 'certificate-issuer', seed: false });
  t.clock.set('2026-03-02T09:00:00Z');
});
afterAll(async () => t.close());

const { logo: _logo, updatedAt: _at, updatedBy: _by, ...neutral } = DEFAULT_PROFILE;
const rename = (name: string) =>
  t.app.services.organisation.saveProfile({
    actorId: 'admin-test',
    values: { ...neutral, name, shortName: name } satisfies OrgProfileValues,
    logo: null,
    now: t.clock.now(),
  });

/** A person who completes the course now; returns their signed-in session and certificate code. */
async function certified(email: string) {
  const user = await createUser(t.app, { email, name: 'Isla Issued' });
  const c = course(t.app);
  const { cycle } = await t.app.services.assignments.ensureEnrolled({
    learner: { id: user._id, department: 'Sales' },
    course: c,
    now: t.clock.now(),
  });
  for (const lesson of c.lessons) {
    await t.app.db.models.LessonView.create({
      _id: lessonViewKey(cycle._id, lesson.id),
      cycleId: cycle._id,
      userId: user._id,
      courseId: c.id,
      lessonId: lesson.id,
      at: t.clock.now(),
    });
  }
  await trainingRepository(t.app.db.models).updateCycle(cycle._id, {
    passedAt: t.clock.now(),
    score: 90,
    attestedAt: t.clock.now(),
    attestedVersion: c.version,
  });
  expect(
    await t.app.services.records.evaluateCompletion({ cycleId: cycle._id, now: t.clock.now() }),
  ).toMatchObject({
    completed: true,
  });
  const cert = await t.app.db.models.Certificate.findOne({ cycleId: cycle._id }).lean();
  return { session: await loginAs(t.app, email), code: cert!._id };
}

async function issuerShown(session: Awaited<ReturnType<typeof loginAs>>, code: string) {
  const pdf = await pdfText((await session.get(`/certificates/${code}.pdf`)).rawPayload);
  const verify = (await session.get(`/verify/${code}`)).body;
  return { pdf, verify };
}

describe('the issuer on a certificate', () => {
  it('stays the name the organisation had when it was issued; a new certificate has the new name', async () => {
    await rename('Old Name Ltd');
    const before = await certified('old-cert@example.com');
    expect(await t.app.db.models.Certificate.findById(before.code).lean()).toMatchObject({
      issuerName: 'Old Name Ltd',
      policyVersion: 1,
    });

    t.clock.advanceDays(1);
    await rename('New Name plc');
    const old = await issuerShown(before.session, before.code);
    expect(old.pdf).toContain('Issued by Old Name Ltd');
    expect(old.pdf).not.toContain('New Name plc');
    expect(old.verify).toContain('<dt>Issued by</dt><dd>Old Name Ltd</dd>');
    expect(old.verify).not.toContain('New Name plc</dd>');

    const after = await certified('new-cert@example.com');
    const fresh = await issuerShown(after.session, after.code);
    expect(fresh.pdf).toContain('Issued by New Name plc');
    expect(fresh.verify).toContain('<dt>Issued by</dt><dd>New Name plc</dd>');
  });

  it('a certificate issued before the name was kept shows the current name', async () => {
    const { session, code } = await certified('legacy-cert@example.com');
    await t.app.db.models.Certificate.updateOne({ _id: code }, { $unset: { issuerName: 1 } });
    await rename('Renamed Again LLP');
    const shown = await issuerShown(session, code);
    expect(shown.pdf).toContain('Issued by Renamed Again LLP');
    expect(shown.verify).toContain('<dt>Issued by</dt><dd>Renamed Again LLP</dd>');
  });
});
