import { usersRepository } from '../../db/repositories/users.js';
import { failedSignInsMessage, mailOrganisation, recipientLanguage } from '../../mail/templates.js';
import type { ServiceContext } from '../context.js';
import { currentProfile } from '../organisation/profile.js';

/**
 * E-mails an account's owner that it saw many failed sign-ins, and audits that it did; for an
 * unknown or inactive address it does nothing. Callers run it off the request path, so a sign-in
 * for an existing account takes no longer than one for an unknown address.
 */
export async function sendLoginAlert(
  ctx: Pick<ServiceContext, 'models' | 'audit' | 'mailer' | 'baseUrl'>,
  input: { account: string; failures: number; windowStart: Date; windowMinutes: number; now: Date },
): Promise<void> {
  const { failures, windowStart, now } = input;
  const user = await usersRepository(ctx.models).findByEmail(input.account);
  if (!user?.active) return;
  // One message per account and window: the outbox refuses a second one with the same id.
  const id = `login-alert:${user._id}:${windowStart.toISOString()}`;
  const org = mailOrganisation(await currentProfile(ctx));
  const body = failedSignInsMessage({
    personName: user.name,
    failures,
    minutes: input.windowMinutes,
    link: `${ctx.baseUrl}/login`,
    org,
    lang: recipientLanguage(user, org),
  });
  await ctx.mailer.send(
    { id, to: [user.email], cc: [], ...body, kind: 'login-alert', reminderId: null },
    now,
  );
  await ctx.audit.append(
    {
      actorId: null,
      action: 'login.failures-alert',
      targetType: 'user',
      targetId: user._id,
      subjectId: user._id,
      details: { failures, windowStart: windowStart.toISOString() },
    },
    now,
  );
}
