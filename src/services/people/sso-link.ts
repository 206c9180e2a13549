import { isDuplicateKey } from '../../db/connection.js';
import type { UserDoc } from '../../db/models/user.js';
import { Conflict, NotFound } from '../../domain/errors.js';
import type { PeopleContext } from './people.js';

/**
 * Links a person to their identity provider's stable subject id (`<issuer>|<sub>`, or SAML's
 * NameID), audited `person.sso.linked`. Written only while the person has no subject; the users'
 * unique subject index refuses a subject another person already has. (FerretDB v1 checks an
 * update's filter outside the write: two sign-ins racing to link one person may both write and
 * audit the same subject.) False when the person already had this subject (nothing
 * written); Conflict when they have another one or the subject belongs to someone else.
 */
export async function linkSsoSubject(
  ctx: PeopleContext,
  input: { userId: string; subject: string; actorId: string | null; now: Date },
): Promise<boolean> {
  const { models } = ctx;
  let matched: number;
  try {
    const res = await models.User.updateOne(
      { _id: input.userId, ssoSubject: { $exists: false } },
      { $set: { ssoSubject: input.subject, updatedAt: input.now } },
      { timestamps: false },
    );
    matched = res.matchedCount;
  } catch (err) {
    if (isDuplicateKey(err) || uniqueIndexRefused(err)) throw new Conflict('people.errors.ssoTaken');
    throw err;
  }
  if (matched === 0) {
    const person = await models.User.findById(input.userId, { ssoSubject: 1 }).lean<
      Pick<UserDoc, 'ssoSubject'>
    >();
    if (!person) throw new NotFound('people.form.errors.noPerson');
    if (person.ssoSubject === input.subject) return false;
    throw new Conflict('people.errors.ssoOther');
  }
  await ctx.audit.append(
    {
      actorId: input.actorId,
      action: 'person.sso.linked',
      targetType: 'user',
      targetId: input.userId,
      subjectId: input.userId,
      details: { subject: input.subject },
    },
    input.now,
  );
  return true;
}

/**
 * FerretDB v1 (SQLite) answers an update that breaks a unique index with an InternalError naming
 * the constraint, not MongoDB's 11000 (inserts do get 11000).
 */
function uniqueIndexRefused(err: unknown): boolean {
  return err instanceof Error && err.message.includes('UNIQUE constraint failed');
}
