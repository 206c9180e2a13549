import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clauseMemoryKey, cycleKey, masterySnapshotKey } from '../../src/db/keys.js';
import type { MasterySnapshotDoc } from '../../src/db/models/mastery.js';
import type { CycleDoc } from '../../src/db/models/training.js';
import { quarterOf } from '../../src/domain/mastery/knowledge.js';
import { signIn, userIdOf } from '../helpers/actors.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

// The demo organisation's refreshers (issue #23): people whose refresher cycle opened at the seed's
// sweep and who then took (or declined) the check of what they still know, through the live services.
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ label: 'demo_refreshers' });
  await t.app.services.demo.seedDemoTraining({ now: t.clock.now() });
}, 180_000);

afterAll(async () => {
  await t.close();
});

const COURSE = 'social-media-policy';
const allClauses = () => t.app.courses.get(COURSE)!.clauses.map((c) => c.id);

async function refresherOf(email: string): Promise<CycleDoc> {
  const userId = await userIdOf(t.app, email);
  const cycle = await t.app.db.models.Cycle.findById(cycleKey(userId, COURSE, 2)).lean<CycleDoc>();
  expect(cycle, email).not.toBeNull();
  return cycle!;
}

describe('demo refreshers', () => {
  it('has someone who tested out of every clause: only the attestation is left', async () => {
    const cycle = await refresherOf('liam.lopez@demo.test');
    expect(cycle.refresher?.status).toBe('decided');
    expect(cycle.refresher?.pretestAttemptId).not.toBeNull();
    expect(cycle.refresher?.testedOut).toEqual(allClauses());
    expect(cycle.refresher?.study).toEqual([]);
    expect(cycle.passedAt).toBeInstanceOf(Date);
  });

  it('has someone with a few weak clauses: they study exactly those', async () => {
    const cycle = await refresherOf('maya.moreau@demo.test');
    expect(cycle.refresher?.status).toBe('decided');
    const study = cycle.refresher!.study;
    expect(study.length).toBeGreaterThan(0);
    expect(study.length).toBeLessThanOrEqual(4);
    expect(study).toContain('SMP-04');
    expect(study).toContain('SMP-07');
    expect([...study, ...cycle.refresher!.testedOut].sort()).toEqual([...allClauses()].sort());
  });

  it('has someone who finished a short refresher: tested out, attested, certificate', async () => {
    const cycle = await refresherOf('omar.okafor@demo.test');
    expect(cycle.refresher).toMatchObject({ status: 'decided', testedOut: allClauses(), study: [] });
    expect(cycle.passedAttemptId).toBe(cycle.refresher!.pretestAttemptId);
    expect(cycle.attestedAt).toBeInstanceOf(Date);
    expect(cycle.completedAt).toBeInstanceOf(Date);
    expect(cycle.certificateCode).toBeTruthy();
    const certificate = await t.app.db.models.Certificate.findById(cycle.certificateCode).lean();
    expect(certificate).not.toBeNull();
    const omar = await signIn(t.app, 'omar.okafor@demo.test');
    const evidence = await omar.get(`/learn/${COURSE}/evidence`);
    expect(evidence.body).toContain(`Tested out of all ${allClauses().length} clauses in the pre-assessment`);
  });

  it('has someone who declined the check: the full path, every clause studied', async () => {
    const cycle = await refresherOf('noah.nakamura@demo.test');
    expect(cycle.refresher).toMatchObject({ status: 'decided', pretestAttemptId: null, testedOut: [] });
    expect(cycle.refresher?.study).toEqual(allClauses());
  });

  it('has someone who last attested version 1: the clause version 2 changed is studied, though every answer was right', async () => {
    const course = t.app.courses.get(COURSE)!;
    expect(course.policyVersion).toBe(2);
    const cycle = await refresherOf('dev.diallo@demo.test');
    expect(cycle.refresher).toMatchObject({
      status: 'decided',
      changed: ['SMP-02'],
      study: ['SMP-02'],
      policyVersion: 2,
    });
    expect(cycle.refresher?.pretestAttemptId).not.toBeNull();
    expect(cycle.refresher?.testedOut).toEqual(allClauses().filter((c) => c !== 'SMP-02'));
    // Studying is left: the pre-assessment's pass does not count while a clause must be studied.
    expect(cycle.passedAt).toBeNull();
    const dev = await signIn(t.app, 'dev.diallo@demo.test');
    const page = await dev.get(`/learn/${COURSE}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Pause before you post');
  });

  it("keeps each refresher person's clause memory and shows the decisions on HR's knowledge page", async () => {
    const liam = await userIdOf(t.app, 'liam.lopez@demo.test');
    const memory = await t.app.db.models.ClauseMemory.findById(clauseMemoryKey(liam, COURSE)).lean();
    expect(Object.keys(memory?.clauses ?? {}).sort()).toEqual([...allClauses()].sort());
    const snap = await t.app.db.models.MasterySnapshot.findById(
      masterySnapshotKey(COURSE, quarterOf(t.clock.now())),
    ).lean<MasterySnapshotDoc>();
    expect(snap?.refreshers['SMP-01']?.testedOut).toBeGreaterThanOrEqual(1);
    const hr = await signIn(t.app, 'hr@demo.test');
    const page = await hr.get(`/hr/courses/${COURSE}/knowledge`);
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('No refresher pre-assessments decided yet');
    // Dev Diallo studied clause 2 because version 2 changed it after his last attestation.
    expect(page.body).not.toContain('No clause was studied because a new policy version changed it.');
    expect(page.body).toMatch(/Pause before you post/);
  });
});
