import type { UserDoc } from '../../src/db/models/user.js';
import { buildAssignment, buildCycle, buildPerson, COURSE_ID } from '../factories.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { TestClock } from '../helpers/clock.js';

// Today is 16 November 2026 (Q4). In the Leavers Desk, assigned on 1 July: Quinn never completed
// and was overdue from 15 August; Cora completed on 10 August. `leave` deactivates both today:
// reports about Q3 and the weeks before November must read as they did before they left.
export const DESK = 'Leavers Desk';
export const NOW = new Date('2026-11-16T09:00:00Z');

export interface LeaversWorld {
  t: TestApp;
  quinn: UserDoc;
  cora: UserDoc;
  leave(): Promise<void>;
}

export async function leaversWorld(label: string): Promise<LeaversWorld> {
  const t = await createTestApp({ label, clock: new TestClock(NOW.toISOString()) });
  const quinn = buildPerson({ email: 'quinn@leavers.test', name: 'Quinn Overdue', department: DESK });
  const cora = buildPerson({ email: 'cora@leavers.test', name: 'Cora Completed', department: DESK });
  const assignedAt = new Date('2026-07-01T09:00:00Z');
  const completedAt = new Date('2026-08-10T11:00:00Z');
  const dueAt = new Date('2026-08-15T00:00:00Z');
  const { User, Assignment, Cycle, Certificate } = t.app.db.models;
  await User.insertMany([quinn, cora]);
  const completion = { completedAt, expiresAt: new Date('2027-08-10T00:00:00Z') };
  await Assignment.insertMany([
    buildAssignment(quinn, { assignedAt, dueAt, state: 'overdue' }),
    buildAssignment(cora, { assignedAt, dueAt, state: 'completed', ...completion }),
  ]);
  await Cycle.insertMany([
    buildCycle(quinn, 1, { openedAt: assignedAt, dueAt }),
    buildCycle(cora, 1, { openedAt: assignedAt, dueAt, ...completion }),
  ]);
  await Certificate.create({
    _id: 'CORA-CORA-CORA-CORA',
    cycleId: `${cora._id}:${COURSE_ID}:1`,
    cycleNo: 1,
    userId: cora._id,
    courseId: COURSE_ID,
    name: cora.name,
    courseTitle: 'Social media policy',
    contentVersion: 'c0ffee0123456789',
    policyVersion: 2,
    replacesVersion: null,
    score: 90,
    completedAt,
    expiresAt: completion.expiresAt,
    issuedAt: completedAt,
  });
  const hrUser = (await User.findOne({ email: 'hr@demo.test' }).lean<UserDoc>())!;
  const leave = async () => {
    for (const person of [quinn, cora])
      await t.app.services.people.updatePerson({
        userId: person._id,
        changes: { active: false },
        actorId: hrUser._id,
        now: NOW,
      });
  };
  return { t, quinn, cora, leave };
}
