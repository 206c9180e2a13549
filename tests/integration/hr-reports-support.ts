import type { FastifyInstance } from 'fastify';
import type { AssignmentDoc, CycleDoc } from '../../src/db/models/training.js';
import type { UserDoc } from '../../src/db/models/user.js';
import { COURSE_ID } from '../factories.js';

/** An assignment with a known state, written directly (the HR-core services are not under test here). */
export function assignment(
  user: Pick<UserDoc, '_id' | 'department' | 'managerId' | 'name' | 'email'>,
  state: string,
  over: Partial<AssignmentDoc> = {},
): AssignmentDoc {
  const now = new Date('2026-03-02T09:00:00Z');
  return {
    _id: `${user._id}:${COURSE_ID}`,
    userId: user._id,
    courseId: COURSE_ID,
    department: user.department,
    managerId: user.managerId ?? null,
    name: user.name,
    email: user.email,
    source: 'department',
    ruleId: null,
    assignedAt: new Date('2026-01-05T09:00:00Z'),
    assignedBy: null,
    active: true,
    cycleNo: 1,
    dueAt: new Date('2026-02-15T00:00:00Z'),
    state,
    completedAt: state === 'completed' ? new Date('2026-02-01T10:00:00Z') : null,
    expiresAt: state === 'completed' ? new Date('2027-02-01T10:00:00Z') : null,
    updatedAt: now,
    ...over,
  };
}

export function cycle(userId: string, n: number, over: Partial<CycleDoc> = {}): CycleDoc {
  return {
    _id: `${userId}:${COURSE_ID}:${n}`,
    userId,
    courseId: COURSE_ID,
    n,
    openedAt: new Date('2026-01-05T09:00:00Z'),
    dueAt: new Date('2026-02-15T00:00:00Z'),
    requirement: 'full',
    contentVersion: 'v-test',
    startedAt: null,
    passedAt: null,
    passedAttemptId: null,
    score: null,
    extraAttempts: 0,
    attestedAt: null,
    attestedVersion: null,
    completedAt: null,
    expiresAt: null,
    certificateCode: null,
    ...over,
  };
}

export async function peopleByEmail(app: FastifyInstance): Promise<Map<string, UserDoc>> {
  const users = await app.db.models.User.find({}).lean<UserDoc[]>().exec();
  return new Map(users.map((u) => [u.email, u]));
}

export async function demoDepartment(app: FastifyInstance, department: string): Promise<UserDoc[]> {
  const users = await app.db.models.User.find({ department, role: 'employee' }).lean<UserDoc[]>().exec();
  return users.sort((a, b) => a.email.localeCompare(b.email));
}

/** The text of the table cells of the row whose header cell is `rowHeader`. */
export function tableRow(html: string, rowHeader: string): string[] | null {
  const rows = html.split('<tr>');
  const row = rows.find((r) => r.includes(`<th scope="row">${rowHeader}</th>`));
  if (!row) return null;
  return [...row.matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((m) => m[1]!.trim());
}
