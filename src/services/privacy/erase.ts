import { Conflict, NotFound } from '../../domain/errors.js';
import { type ErasureDuty, erasureDuty } from '../../domain/retention.js';
import type { ServiceContext } from '../context.js';
import { addToLedger } from '../operations/backup/erasure-ledger.js';
import { erasePersonNow } from './erase-steps.js';
import { loadErasureSubject, loadRetentionSettings } from './settings.js';

/** Why a person is erased: HR on their request (GDPR Art. 17), or the nightly retention run. */
export type ErasureReason = 'request' | 'retention';

export interface ErasePersonInput {
  userId: string;
  /** Who asked (HR or admin), or null for the nightly run. */
  actorId: string | null;
  reason: ErasureReason;
  now: Date;
}

/** What an erasure removed or pseudonymised, per collection, for the audit event and the page. */
export interface ErasureResult {
  userId: string;
  /** The stable pseudonym the person's records now carry. */
  pseudonym: string;
  /** Documents changed (pseudonymised, stripped) or deleted, per collection name. */
  counts: Record<string, number>;
  /** Audit events whose personal fields were removed (their commitment stays, the chain verifies). */
  auditEventsErased: number;
  /** Audit events written before commitments that hold personal data inside their hash: kept as they are. */
  auditEventsKept: number;
  /** The sequence number of the `person.erased` audit event. */
  auditSeq: number;
}

/**
 * The retention duty that stops erasing this person now, or `{ kind: 'none' }`. The page shows the
 * refusal before HR confirms; `erasePerson` checks it again.
 */
export async function erasureDutyFor(
  ctx: ServiceContext,
  input: { userId: string; now: Date },
): Promise<ErasureDuty> {
  const subject = await loadErasureSubject(ctx, input.userId);
  if (!subject) throw new NotFound('privacy.errors.noPerson');
  return erasureDuty(subject, await loadRetentionSettings(ctx), input.now);
}

/**
 * Erases one person: their name, e-mail and employee id become a stable pseudonym; typed names, IPs
 * and user agents of attestations, names on certificates, quiz answers, sessions, outbox mails to them
 * and the personal part of their audit events are removed. Scores, dates and the chain stay. On a
 * request (`reason: 'request'`) a retention duty refuses it with a `Conflict` naming the rule.
 */
export async function erasePerson(ctx: ServiceContext, input: ErasePersonInput): Promise<ErasureResult> {
  if (input.reason === 'request') {
    const duty = await erasureDutyFor(ctx, input);
    if (duty.kind === 'keep') throw new Conflict(duty.reason, duty.values);
  }
  const result = await erasePersonNow(ctx, input);
  // Also outside the database, so that restoring an older archive erases this person again
  // (operations/backup/erasure-ledger.ts). Backups add every person.erased event to the ledger too,
  // so a write that fails here (a full disk) is made good by the next backup: the erasure stands.
  if (ctx.erasureLedger)
    await addToLedger(ctx.erasureLedger, [
      { userId: result.userId, reason: input.reason, at: input.now.toISOString() },
    ]).catch(() => {});
  return result;
}
