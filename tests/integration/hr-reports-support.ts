import type { FastifyInstance } from 'fastify';
import type { AssignmentDoc } from '../../src/db/models/training.js';
import type { UserDoc } from '../../src/db/models/user.js';
import { type AssignedPerson, buildAssignment } from '../factories.js';

/** An assignment with a known state, written directly (the HR-core services are not under test here). */
export function assignment(
  user: AssignedPerson,
  state: string,
  over: Partial<AssignmentDoc> = {},
): AssignmentDoc {
  const completed = state === 'completed';
  return buildAssignment(user, {
    state,
    completedAt: completed ? new Date('2026-02-01T10:00:00Z') : null,
    expiresAt: completed ? new Date('2027-02-01T10:00:00Z') : null,
    ...over,
  });
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
