import { randomBytes } from 'node:crypto';
import { assignmentKey } from '../../../src/db/keys.js';
import type { Models } from '../../../src/db/models/index.js';
import type { AssignmentDoc } from '../../../src/db/models/training.js';
import type { UserDoc } from '../../../src/db/models/user.js';
import { newUserId } from '../../../src/db/repositories/users.js';
import type { Course } from '../../../src/domain/course.js';
import { addDays } from '../../../src/domain/dates.js';
import type { SessionUser } from '../../../src/domain/roles.js';
import { newCycle } from '../../../src/services/assignments/enrollment.js';
import { BatchWriter } from '../synthetic/writer.js';
import { BENCH_DOMAIN } from '../synthetic-org.js';

/**
 * Fresh employees with no training history yet: each can start attempt 1 of the quiz, which the
 * quiz and exam-day measurements need (a person gets at most three attempts, an hour apart).
 * With `assignTo`, each is assigned that course the way HR's rules assign it (assignment and
 * cycle 1, due in two weeks), as on a real exam day; without, their first visit self-enrols.
 */
export async function addLearners(
  models: Models,
  count: number,
  passwordHash: string,
  label: string,
  assignTo?: Course,
): Promise<SessionUser[]> {
  const writer = new BatchWriter(models, 1000);
  const tag = `${label}-${randomBytes(3).toString('hex')}`;
  const now = new Date();
  const out: SessionUser[] = [];
  for (let i = 0; i < count; i++) {
    const user: UserDoc = {
      _id: newUserId(),
      email: `${tag}-${i + 1}@${BENCH_DOMAIN}`,
      name: `Learner ${tag} ${i + 1}`,
      department: 'Exam day',
      managerId: null,
      role: 'employee',
      active: true,
      locale: 'en',
      hireDate: now,
      passwordHash,
      createdAt: now,
      updatedAt: now,
    };
    await writer.add('User', [user]);
    await writer.add('LoginKey', [{ _id: user.email, userId: user._id }]);
    if (assignTo) {
      const dueAt = addDays(now, 14);
      await writer.add('Assignment', [
        {
          _id: assignmentKey(user._id, assignTo.id),
          userId: user._id,
          courseId: assignTo.id,
          department: user.department,
          managerId: null,
          name: user.name,
          email: user.email,
          source: 'rule',
          ruleId: null,
          assignedAt: now,
          assignedBy: 'bench',
          active: true,
          cycleNo: 1,
          dueAt,
          state: 'not-started',
          completedAt: null,
          expiresAt: null,
          updatedAt: now,
        } satisfies AssignmentDoc,
      ]);
      await writer.add('Cycle', [newCycle(user._id, assignTo, 1, now, dueAt)]);
    }
    out.push({
      id: user._id,
      email: user.email,
      name: user.name,
      role: 'employee',
      department: user.department,
    });
  }
  await writer.flush();
  return out;
}
