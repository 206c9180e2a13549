import { trainingRepository } from '../../db/repositories/training.js';
import type { Course } from '../../domain/course.js';
import { courseForJurisdictions, learnerJurisdictions } from '../../domain/jurisdictions.js';
import type { Region } from '../../domain/org-profile.js';
import type { ServiceContext } from '../context.js';
import { currentProfile } from '../organisation/profile.js';

/**
 * The jurisdictions whose notices a person is shown: the regions the organisation profile enables
 * (all of them while it names none), narrowed to the person's own region when they have one.
 * `region` is the person's region as the caller read it already: the copy on the learner's
 * assignment of the course (domain/person-copy.ts, kept in step by every writer), so no page reads
 * the person for it; absent or null (no assignment, or none copied) is no region. No database read:
 * the profile is cached by the organisation service.
 */
export async function jurisdictionsOf(
  ctx: ServiceContext,
  input: { region: Region | null | undefined },
): Promise<Region[]> {
  const profile = await currentProfile(ctx);
  return learnerJurisdictions(profile.regions, input.region);
}

/** A served course as one learner sees it: only the notices and questions for their jurisdictions. */
export async function courseForLearner(
  ctx: ServiceContext,
  input: { region: Region | null | undefined; course: Course },
): Promise<{ course: Course; jurisdictions: Region[] }> {
  const jurisdictions = await jurisdictionsOf(ctx, input);
  return { course: courseForJurisdictions(input.course, jurisdictions), jurisdictions };
}

/**
 * `courseForLearner` for a page that has not read the learner's assignment (a form shown again
 * with an error): one read of it by `_id`.
 */
export async function courseForLearnerOf(
  ctx: ServiceContext,
  input: { userId: string; course: Course },
): Promise<{ course: Course; jurisdictions: Region[] }> {
  const assignment = await trainingRepository(ctx.models).findAssignment(input.userId, input.course.id);
  return courseForLearner(ctx, { region: assignment?.region, course: input.course });
}
