import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignmentKey, lessonViewKey } from '../../src/db/keys.js';
import { trainingRepository } from '../../src/db/repositories/training.js';
import { defaultSettings } from '../../src/services/assignments/course-settings.js';
import { newCycle } from '../../src/services/assignments/enrollment.js';
import { COURSE_ID } from '../factories.js';
import { createTestApp, createUser, loginAs, type TestApp } from '../helpers/app.js';
import { postAttestForm } from '../helpers/attest-form.js';
import { pdfText } from '../helpers/pdf-text.js';
import { course } from './records-helpers.js';

let t: TestApp;
const evaluateCompletion = (cycleId: string) =>
  t.app.services.records.evaluateCompletion({ cycleId, now: t.clock.now() });

beforeAll(async () => {
  t = await createTestApp({ label: 'records-completion', seed: false });
});
afterAll(async () => t.close());

/** A fresh person whose cycle 1 has every step done directly in the database (no completion check yet). */
async function readyCycle(email: string) {
  const user = await createUser(t.app, { email, name: 'Casey Concurrent' });
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
  return { user, cycle };
}

describe('evaluateCompletion', () => {
  it('does nothing while a step is missing', async () => {
    const { cycle } = await readyCycle('partial@example.com');
    await trainingRepository(t.app.db.models).updateCycle(cycle._id, { passedAt: t.clock.now(), score: 90 });
    expect(await evaluateCompletion(cycle._id)).toEqual({ completed: false });
    expect((await trainingRepository(t.app.db.models).findCycle(cycle._id))?.completedAt).toBeNull();
    expect(await t.app.db.models.CertificateByCycle.countDocuments({ _id: cycle._id })).toBe(0);
  });

  it('answers false for an unknown cycle', async () => {
    expect(await evaluateCompletion('nobody:nothing:1')).toEqual({ completed: false });
  });

  it('issues exactly one certificate and one audit event under concurrent completion', async () => {
    const { user, cycle } = await readyCycle('racer@example.com');
    await trainingRepository(t.app.db.models).updateCycle(cycle._id, {
      passedAt: t.clock.now(),
      score: 90,
      attestedAt: t.clock.now(),
      attestedVersion: course(t.app).version,
    });
    const results = await Promise.all(Array.from({ length: 6 }, () => evaluateCompletion(cycle._id)));
    expect(results.every((r) => r.completed)).toBe(true);
    const certificates = await t.app.db.models.Certificate.find({ cycleId: cycle._id }).lean();
    expect(certificates).toHaveLength(1);
    const stored = await trainingRepository(t.app.db.models).findCycle(cycle._id);
    expect(stored?.certificateCode).toBe(certificates[0]!._id);
    expect(certificates[0]).toMatchObject({ userId: user._id, name: 'Casey Concurrent', score: 90 });
    const completedEvents = await t.app.db.models.AuditEvent.find({
      action: 'cycle.completed',
      targetId: cycle._id,
    }).lean();
    expect(completedEvents).toHaveLength(1);
    expect(
      await t.app.db.models.AuditEvent.countDocuments({ action: 'certificate.issued', subjectId: user._id }),
    ).toBe(1);
    // Running it again later changes nothing.
    t.clock.advanceDays(1);
    await evaluateCompletion(cycle._id);
    expect((await trainingRepository(t.app.db.models).findCycle(cycle._id))?.completedAt?.toISOString()).toBe(
      stored?.completedAt?.toISOString(),
    );
  });

  it('does not overwrite the assignment summary of a newer cycle', async () => {
    const { user, cycle } = await readyCycle('late@example.com');
    const repo = trainingRepository(t.app.db.models);
    await repo.updateAssignment(assignmentKey(user._id, COURSE_ID), { cycleNo: 2, state: 'in-progress' });
    await repo.updateCycle(cycle._id, {
      passedAt: t.clock.now(),
      attestedAt: t.clock.now(),
      attestedVersion: 'x',
    });
    expect(await evaluateCompletion(cycle._id)).toEqual({ completed: true });
    expect(await repo.findAssignment(user._id, COURSE_ID)).toMatchObject({
      cycleNo: 2,
      state: 'in-progress',
    });
  });
});

describe('expiry', () => {
  it("follows HR's saved course settings over the content defaults", async () => {
    const c = course(t.app);
    t.clock.set('2026-05-20T15:30:00Z');
    await t.app.db.models.CourseSettings.create({ ...defaultSettings(c, t.clock.now()), validityMonths: 6 });
    try {
      const { cycle } = await readyCycle('six-months@example.com');
      await trainingRepository(t.app.db.models).updateCycle(cycle._id, {
        passedAt: t.clock.now(),
        attestedAt: t.clock.now(),
        attestedVersion: c.version,
      });
      await evaluateCompletion(cycle._id);
      const done = await trainingRepository(t.app.db.models).findCycle(cycle._id);
      // Expiry is a calendar day (midnight UTC), six months after the completion day.
      expect(done?.expiresAt?.toISOString()).toBe('2026-11-20T00:00:00.000Z');
      expect(
        (await t.app.db.models.Certificate.findById(done?.certificateCode).lean())?.expiresAt?.toISOString(),
      ).toBe('2026-11-20T00:00:00.000Z');
    } finally {
      await t.app.db.models.CourseSettings.deleteOne({ _id: c.id });
    }
  });
});

describe('an attest-only cycle (new policy version)', () => {
  it('offers the attestation without a quiz and completes on signing, with no score', async () => {
    const c = course(t.app);
    const user = await createUser(t.app, { email: 'reattest@example.com', name: 'Riley Reattest' });
    const repo = trainingRepository(t.app.db.models);
    const now = t.clock.now();
    await repo.ensureAssignment({
      _id: assignmentKey(user._id, c.id),
      userId: user._id,
      courseId: c.id,
      department: 'Sales',
      managerId: null,
      name: user.name,
      email: user.email,
      source: 'individual',
      ruleId: null,
      assignedAt: now,
      assignedBy: null,
      active: true,
      cycleNo: 2,
      dueAt: null,
      state: 'not-started',
      completedAt: null,
      expiresAt: null,
      updatedAt: now,
    });
    const cycle = await repo.ensureCycle(newCycle(user._id, c, 2, now, null, 'attest-only'));

    const s = await loginAs(t.app, 'reattest@example.com');
    const url = `/learn/${c.id}/attest`;
    const form = await s.get(url);
    expect(form.body).toContain('name="typedName"');
    expect((await postAttestForm(s, url, { typedName: 'riley  reattest', agreed: 'yes' })).statusCode).toBe(
      303,
    );

    const done = await repo.findCycle(cycle._id);
    expect(done?.completedAt).not.toBeNull();
    expect(done?.score).toBeNull();
    const pdf = await s.get(`/certificates/${done?.certificateCode}.pdf`);
    expect(await pdfText(pdf.rawPayload)).toContain('Score: not applicable (attestation only)');
    expect(await repo.findAssignment(user._id, c.id)).toMatchObject({ state: 'completed' });
  });
});
