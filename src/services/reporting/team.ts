import { assignmentKey } from '../../db/keys.js';
import type { AssignmentDoc } from '../../db/models/training.js';
import { findManyById } from '../../db/repositories/by-id.js';
import type { ServiceContext } from '../context.js';

export interface TeamMemberStatus {
  userId: string;
  name: string;
  email: string;
  department: string;
  /** courseId → the member's assignment, when they have one. */
  assignments: Map<string, AssignmentDoc>;
}

/** Direct reports shown at most; a larger team is cut, and the page says so. */
export const TEAM_LIMIT = 500;

/**
 * A manager's direct reports (active people whose `managerId` is the manager) with their training
 * status per course. Read-only: nothing here changes data. Returns an empty list for someone with
 * no reports, which the route answers with a 403 page.
 */
export async function teamStatus(
  ctx: Pick<ServiceContext, 'models' | 'courses'>,
  input: { managerId: string },
): Promise<{ members: TeamMemberStatus[]; truncated: boolean }> {
  const { models, courses } = ctx;
  const { managerId } = input;
  const people = await models.User.find({ managerId, active: true }, { name: 1, email: 1, department: 1 })
    .limit(TEAM_LIMIT + 1)
    .lean()
    .exec();
  const truncated = people.length > TEAM_LIMIT;
  const members = people.slice(0, TEAM_LIMIT);
  if (members.length === 0) return { members: [], truncated: false };
  const ids = members.flatMap((p) => [...courses.keys()].map((c) => assignmentKey(p._id, c)));
  const assignments = (await findManyById<AssignmentDoc>(models.Assignment, ids)).filter((a) => a.active);
  const byUser = new Map<string, Map<string, AssignmentDoc>>();
  for (const a of assignments) {
    const map = byUser.get(a.userId) ?? new Map<string, AssignmentDoc>();
    map.set(a.courseId, a);
    byUser.set(a.userId, map);
  }
  return {
    members: members
      .map((p) => ({
        userId: p._id,
        name: p.name,
        email: p.email,
        department: p.department,
        assignments: byUser.get(p._id) ?? new Map(),
      }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    truncated,
  };
}
