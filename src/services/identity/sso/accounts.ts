import type { UserDoc } from '../../../db/models/user.js';
import { DuplicateUserError, usersRepository } from '../../../db/repositories/users.js';
import { Conflict } from '../../../domain/errors.js';
import { normaliseEmail, type SessionUser } from '../../../domain/roles.js';
import { SsoFailure } from '../../../domain/sso/failure.js';
import type { MappedIdentity } from '../../../domain/sso/mapping.js';
import type { ServiceContext } from '../../context.js';
import { createPerson, type PersonInput, updatePerson } from '../../people/people.js';
import { linkSsoSubject } from '../../people/sso-link.js';
import { toSessionUser } from '../login.js';

/** `<issuer>|<sub>`: `sub` is unique only per issuer (OpenID Connect Core 2). */
export function subjectKey(issuer: string, sub: string): string {
  return `${issuer}|${sub}`;
}

type How = 'subject' | 'linked' | 'created';

/**
 * Finds the person a verified sign-in is for: by the provider's stable subject id first, then by
 * a verified e-mail (linking the subject to that person), else creates them when just-in-time
 * accounts are on. Protocol-neutral: SAML passes its NameID as `mapped.subject`.
 */
async function findOrCreate(
  ctx: ServiceContext,
  input: { subject: string; mapped: MappedIdentity; jitCreate: boolean; managerId: string | null; now: Date },
): Promise<{ user: UserDoc; how: How }> {
  const { mapped } = input;
  const bySubject = await ctx.models.User.findOne({ ssoSubject: input.subject }).lean<UserDoc>();
  if (bySubject) return { user: bySubject, how: 'subject' };
  if (mapped.email) {
    const byEmail = await usersRepository(ctx.models).findByEmail(mapped.email);
    if (byEmail) {
      if (!mapped.emailVerified) throw new SsoFailure('email_not_verified', undefined, byEmail._id);
      // Linked by a sign-in racing this one (same subject): that person. Linked to another subject:
      // a second provider account may not take it over.
      if (byEmail.ssoSubject === input.subject) return { user: byEmail, how: 'subject' };
      if (byEmail.ssoSubject)
        throw new SsoFailure('no_matching_account', 'linked to another subject', byEmail._id);
      // Checked before linking, so an inactive person is never linked (nor audited as linked).
      if (!byEmail.active) throw new SsoFailure('inactive_person', undefined, byEmail._id);
      // Whoever the provider vouches for by e-mail would take over the account: too much for the
      // admin and HR accounts (break-glass admins among them), which an administrator links instead.
      if (byEmail.role !== 'employee')
        throw new SsoFailure('privileged_account_not_linked', undefined, byEmail._id);
      const link = { userId: byEmail._id, subject: input.subject, actorId: byEmail._id, now: input.now };
      // Linked to another subject by a sign-in racing this one: refused as above.
      await linkSsoSubject(ctx, link).catch((err: unknown) => {
        if (err instanceof Conflict)
          throw new SsoFailure('no_matching_account', 'linked to another subject', byEmail._id);
        throw err;
      });
      return { user: { ...byEmail, ssoSubject: input.subject }, how: 'linked' };
    }
  }
  if (!input.jitCreate) throw new SsoFailure('no_matching_account');
  if (!mapped.email || !mapped.emailVerified) throw new SsoFailure('email_not_verified');
  const user = await createPerson(ctx, {
    person: {
      email: mapped.email,
      name: mapped.name ?? mapped.email,
      employeeId: mapped.employeeId ?? null,
      department: mapped.department ?? '',
      managerId: input.managerId,
      hireDate: null,
      locale: '',
      active: true,
      role: mapped.role ?? 'employee',
    },
    actorId: null,
    now: input.now,
  });
  await linkSsoSubject(ctx, { userId: user._id, subject: input.subject, actorId: user._id, now: input.now });
  return { user: { ...user, ssoSubject: input.subject }, how: 'created' };
}

/** The mapped fields that differ from the person's: the provider is the source for what it maps. */
function mappedChanges(
  user: UserDoc,
  mapped: MappedIdentity,
  managerId: string | null,
  breakGlass: readonly string[],
): Partial<PersonInput> {
  const changes: Partial<PersonInput> = {};
  // A group change at the provider must never lock out the admins kept for when it is down.
  const roleKept = breakGlass.includes(normaliseEmail(user.email));
  if (mapped.role && mapped.role !== user.role && !roleKept) changes.role = mapped.role;
  if (mapped.department && mapped.department !== user.department) changes.department = mapped.department;
  if (mapped.employeeId && mapped.employeeId !== user.employeeId) changes.employeeId = mapped.employeeId;
  if (managerId && managerId !== user.managerId) changes.managerId = managerId;
  return changes;
}

/**
 * Signs in the person a verified identity is for (just-in-time create or link, mapped fields
 * applied through the people service) and audits `login.sso.success`; refusals throw SsoFailure.
 */
export async function signInPerson(
  ctx: ServiceContext,
  input: {
    protocol: 'oidc' | 'saml';
    issuer: string;
    mapped: MappedIdentity;
    jitCreate: boolean;
    /** Break-glass addresses: SSO never changes their role. */
    breakGlass: readonly string[];
    ip: string;
    now: Date;
  },
): Promise<SessionUser> {
  const { mapped, now } = input;
  const manager = mapped.managerEmail
    ? await usersRepository(ctx.models).findByEmail(mapped.managerEmail)
    : null;
  const managerId = manager?._id ?? null;
  const subject = subjectKey(input.issuer, mapped.subject);
  const lookup = { subject, mapped, jitCreate: input.jitCreate, managerId, now };
  // Two first sign-ins at once (two tabs): the second create hits the unique e-mail; it then finds
  // the person the first one created, as a repeat sign-in would.
  const found = await findOrCreate(ctx, lookup).catch((err: unknown) => {
    if (!(err instanceof DuplicateUserError)) throw err;
    return findOrCreate(ctx, { ...lookup, jitCreate: false });
  });
  if (!found.user.active) throw new SsoFailure('inactive_person', undefined, found.user._id);
  let user = found.user;
  const changes = found.how === 'created' ? {} : mappedChanges(user, mapped, managerId, input.breakGlass);
  if (Object.keys(changes).length)
    user = (await updatePerson(ctx, { userId: user._id, changes, actorId: null, now })) ?? user;
  await ctx.audit.append(
    {
      actorId: user._id,
      action: 'login.sso.success',
      targetType: 'user',
      targetId: user._id,
      subjectId: user._id,
      details: { ip: input.ip, protocol: input.protocol, account: found.how },
    },
    now,
  );
  return toSessionUser(user);
}
