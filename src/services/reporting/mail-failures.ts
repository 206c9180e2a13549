import type { MailFailureDoc } from '../../db/models/mail-failure.js';
import { addDays } from '../../domain/dates.js';
import type { ServiceContext } from '../context.js';
import { MAIL_FAILURES_WITHIN_DAYS } from './needs-me.js';

/** Failed messages listed at most (newest first); HR home counts them all. */
export const MAIL_FAILURES_SHOWN = 200;

/** The mail that failed to send in the window HR home counts, newest first. */
export async function listMailFailures(
  ctx: Pick<ServiceContext, 'models'>,
  input: { now: Date },
): Promise<{ failures: MailFailureDoc[]; days: number }> {
  const failures = await ctx.models.MailFailure.find({
    failedAt: { $gte: addDays(input.now, -MAIL_FAILURES_WITHIN_DAYS) },
  })
    .sort({ failedAt: -1 })
    .limit(MAIL_FAILURES_SHOWN)
    .lean<MailFailureDoc[]>();
  return { failures, days: MAIL_FAILURES_WITHIN_DAYS };
}
