import { createHash } from 'node:crypto';

/**
 * How long personal data is kept, and what has expired at `now`. Pure: the settings document, the
 * people and the clock come in; dates and decisions go out. The nightly retention run
 * (services/privacy/retention.ts) and erasure on request (services/privacy/erase.ts) both decide
 * here, so the page that refuses an erasure and the job that pseudonymises agree on the same day.
 */

export interface RetentionSettings {
  /** Training records (cycles, attestations, certificates) kept this many years after a person leaves. */
  recordsYearsAfterLeaving: number;
  /** The answers given in a quiz attempt kept this many months after it was submitted (scores stay). */
  quizAnswerMonths: number;
  /** Sign-in sessions deleted this many days after they were last used. */
  sessionDays: number;
  /** Sent or failed outbox mails deleted this many days after they were queued. */
  outboxDays: number;
}

export const DEFAULT_RETENTION: Readonly<RetentionSettings> = Object.freeze({
  recordsYearsAfterLeaving: 6,
  quizAnswerMonths: 24,
  sessionDays: 30,
  outboxDays: 90,
});

/** The bounds the settings page accepts: short enough to be a mistake below, absurd above. */
export const RETENTION_LIMITS: Readonly<Record<keyof RetentionSettings, { min: number; max: number }>> =
  Object.freeze({
    recordsYearsAfterLeaving: { min: 1, max: 30 },
    quizAnswerMonths: { min: 1, max: 120 },
    sessionDays: { min: 1, max: 365 },
    outboxDays: { min: 7, max: 3650 },
  });

/** The name each rule has in the audit log, on the settings page and in a refusal. */
export type RetentionRule = 'records-after-leaving' | 'quiz-answers' | 'sessions' | 'outbox';

/** What a person may ask to erase is decided by these facts about them. */
export interface ErasureSubject {
  active: boolean;
  /** When they left (deactivated); null while active, or for a person who never had a leaving day. */
  leftAt: Date | null;
  /** Whether they hold training records the organisation must keep (a started cycle, an attestation, a certificate). */
  hasTrainingRecords: boolean;
}

/**
 * Whether records must still be kept, and by which rule until when. `until` is null while the
 * person is active: the period only starts when they leave.
 */
export type ErasureDuty =
  | { kind: 'none' }
  | {
      kind: 'keep';
      rule: 'records-after-leaving';
      years: number;
      until: Date | null;
      /** Why, as a catalogue key ("privacy.duty.*") with `values`. */
      reason: string;
      values: { years: number; until?: string };
    };

/** Calendar arithmetic in UTC: `months` later, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb). */
export function addUtcMonths(from: Date, months: number): Date {
  const y = from.getUTCFullYear();
  const m = from.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const d = new Date(from);
  d.setUTCFullYear(y, m, Math.min(from.getUTCDate(), lastDay));
  return d;
}

const DAY_MS = 86_400_000;

/** The day a leaver's records may be pseudonymised: `recordsYearsAfterLeaving` years after `leftAt`. */
export function recordsKeptUntil(leftAt: Date, settings: RetentionSettings): Date {
  return addUtcMonths(leftAt, 12 * settings.recordsYearsAfterLeaving);
}

/**
 * The cutoffs at `now`: anything strictly before its cutoff has expired. People who left before
 * `leftBefore` are pseudonymised; answers of attempts submitted before `answersBefore` are removed;
 * sessions last used and outbox mails queued before theirs are deleted.
 */
export function retentionCutoffs(settings: RetentionSettings, now: Date) {
  return {
    leftBefore: addUtcMonths(now, -12 * settings.recordsYearsAfterLeaving),
    answersBefore: addUtcMonths(now, -settings.quizAnswerMonths),
    sessionsBefore: new Date(now.getTime() - settings.sessionDays * DAY_MS),
    outboxBefore: new Date(now.getTime() - settings.outboxDays * DAY_MS),
  };
}

export type RetentionCutoffs = ReturnType<typeof retentionCutoffs>;

/** Whether a person who left at `leftAt` is past the records rule at `now`. */
export function leaverExpired(leftAt: Date | null, settings: RetentionSettings, now: Date): boolean {
  return leftAt !== null && recordsKeptUntil(leftAt, settings).getTime() <= now.getTime();
}

/**
 * Whether erasing this person now would break a retention duty (GDPR Art. 17(3)(b): records kept to
 * comply with a legal obligation). Someone without training records may always be erased; someone
 * with records may be once the records rule has run out after they left.
 */
export function erasureDuty(subject: ErasureSubject, settings: RetentionSettings, now: Date): ErasureDuty {
  if (!subject.hasTrainingRecords) return { kind: 'none' };
  const years = settings.recordsYearsAfterLeaving;
  const rule = 'records-after-leaving' as const;
  if (subject.active || subject.leftAt === null) {
    return {
      kind: 'keep',
      rule,
      years,
      until: null,
      reason: 'privacy.duty.notLeft',
      values: { years },
    };
  }
  const until = recordsKeptUntil(subject.leftAt, settings);
  if (until.getTime() <= now.getTime()) return { kind: 'none' };
  return {
    kind: 'keep',
    rule,
    years,
    until,
    reason: 'privacy.duty.until',
    values: { years, until: until.toISOString().slice(0, 10) },
  };
}

/** Settings as stored (possibly partial or from an older version) completed with the defaults. */
export function withRetentionDefaults(
  stored: Partial<RetentionSettings> | null | undefined,
): RetentionSettings {
  const out = { ...DEFAULT_RETENTION };
  for (const key of Object.keys(DEFAULT_RETENTION) as Array<keyof RetentionSettings>) {
    const v = stored?.[key];
    const { min, max } = RETENTION_LIMITS[key];
    if (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max) out[key] = v;
  }
  return out;
}

/**
 * The `leftAt` write that goes with a change of the active flag: the day someone is deactivated
 * (by HR, a CSV import or SCIM) starts the records period; reactivating them clears it.
 */
export function leftAtChange(wasActive: boolean, isActive: boolean, now: Date): { leftAt?: Date | null } {
  if (wasActive && !isActive) return { leftAt: now };
  if (!wasActive && isActive) return { leftAt: null };
  return {};
}

/**
 * The day a person left, for the records rule: `leftAt`, or for someone inactive without one
 * (deactivated before `leftAt` existed, or created inactive) the day they were last changed. The
 * nightly backfill stores this day; the erasure duty uses it before the backfill has run.
 */
export function leavingDay(person: { active: boolean; leftAt?: Date | null; updatedAt: Date }): Date | null {
  if (person.leftAt) return person.leftAt;
  return person.active ? null : person.updatedAt;
}

/**
 * When a session started: sessions do not roll (plugins/security.ts), so `originalMaxAge` (the
 * cookie's, in ms) before it expires; a session without one had the default of one day.
 */
export function sessionStartedAt(expiresAt: Date, originalMaxAge: unknown): Date {
  const maxAgeMs = typeof originalMaxAge === 'number' ? originalMaxAge : DAY_MS;
  return new Date(expiresAt.getTime() - maxAgeMs);
}

/**
 * The stable pseudonym an erased person's records carry: derived from their id (already in every
 * record), so it adds nothing about them and stays the same if the erasure runs again.
 */
export function pseudonymFor(userId: string): { name: string; email: string } {
  const tag = createHash('sha256').update(userId).digest('hex').slice(0, 10);
  return { name: `Erased person ${tag}`, email: `erased-${tag}@erased.invalid` };
}
