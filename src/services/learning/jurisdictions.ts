import type { UserDoc } from '../../db/models/user.js';
import type { Course } from '../../domain/course.js';
import { courseForJurisdictions, learnerJurisdictions } from '../../domain/jurisdictions.js';
import type { Region } from '../../domain/org-profile.js';
import type { ServiceContext } from '../context.js';
import { currentProfile } from '../organisation/profile.js';

/**
 * The jurisdictions whose notices a person is shown: the regions the organisation profile enables
 * (all of them while it names none), narrowed to the person's own region when their record has one.
 * One read by `_id` (the profile is cached by the organisation service).
 */
export async function jurisdictionsOf(ctx: ServiceContext, input: { userId: string }): Promise<Region[]> {
  const [profile, person] = await Promise.all([
    currentProfile(ctx),
    ctx.models.User.findById(input.userId, { region: 1 }).lean<Pick<UserDoc, '_id' | 'region'>>(),
  ]);
  return learnerJurisdictions(profile.regions, person?.region);
}

/** A served course as one learner sees it: only the notices and questions for their jurisdictions. */
export async function courseForLearner(
  ctx: ServiceContext,
  input: { userId: string; course: Course },
): Promise<{ course: Course; jurisdictions: Region[] }> {
  const jurisdictions = await jurisdictionsOf(ctx, input);
  return { course: courseForJurisdictions(input.course, jurisdictions), jurisdictions };
}
