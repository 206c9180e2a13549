/**
 * The inventory of personal data in audit events (issue #25). Every `audit.append` in src/ was read:
 * these detail keys hold a person's data (an address, a name, what they typed, where they signed in
 * from, or HR's free text about them). The audit log moves them out of `details` into the event's
 * `personal` part, which the hash covers only through a salted digest (domain/audit-chain.ts), so
 * erasure can delete them and the chain still verifies. Ids (`actorId`, `subjectId`, `targetId`)
 * stay: they are random keys that name no one once the person's record is pseudonymised.
 */

/** Keys that are personal data in whichever event carries them. */
export const PERSONAL_DETAIL_KEYS = ['ip', 'userAgent', 'email', 'name', 'typedName'] as const;

/**
 * Keys that are personal only in some events: a `reason` is HR's free text about one person in these
 * (it may say why: illness, leave), while elsewhere it is a code (`login.failure`) or concerns everyone
 * (`course.renewal.requested`); `subject` is the identity provider's id for the person.
 */
export const PERSONAL_DETAIL_KEYS_BY_ACTION: Readonly<Record<string, readonly string[]>> = Object.freeze({
  'assignment.extended': ['reason'],
  'attempts.granted': ['reason'],
  'certificate.revoked': ['reason'],
  'person.sso.linked': ['subject'],
});

function isPersonalKey(action: string, key: string): boolean {
  return (
    (PERSONAL_DETAIL_KEYS as readonly string[]).includes(key) ||
    (PERSONAL_DETAIL_KEYS_BY_ACTION[action]?.includes(key) ?? false)
  );
}

/**
 * An event's details split into what stays in the hash and its personal part (null when it has
 * none). `extra` is personal data a caller passes explicitly; it wins over a detail of the same key.
 */
export function splitPersonal(
  action: string,
  details: Record<string, unknown>,
  extra?: Record<string, unknown> | null,
): { details: Record<string, unknown>; personal: Record<string, unknown> | null } {
  const kept: Record<string, unknown> = {};
  const personal: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(details)) {
    if (value === undefined) continue;
    if (isPersonalKey(action, key)) personal[key] = value;
    else kept[key] = value;
  }
  for (const [key, value] of Object.entries(extra ?? {})) if (value !== undefined) personal[key] = value;
  return { details: kept, personal: Object.keys(personal).length ? personal : null };
}

/** Whether details stored inside an event's hash (events from before commitments) hold personal data. */
export function holdsPersonalDetails(action: string, details: Record<string, unknown>): boolean {
  return Object.keys(details).some((key) => isPersonalKey(action, key));
}
