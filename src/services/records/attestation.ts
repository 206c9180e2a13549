import { insertOnce } from '../../db/insert-once.js';
import type { AttestationDoc } from '../../db/models/records.js';
import type { CycleDoc } from '../../db/models/training.js';
import { trainingRepository } from '../../db/repositories/training.js';
import { canAttest } from '../../domain/completion.js';
import type { Course } from '../../domain/course.js';
import { normaliseName } from '../../domain/roles.js';
import { type CompletionDeps, evaluateCompletion } from './completion.js';

export const ATTESTATION_STATEMENT = 'I have read, understood and will follow this policy.';

export interface AttestInput {
  userId: string;
  course: Course;
  cycle: CycleDoc;
  typedName: string;
  agreed: boolean;
  ip: string;
  userAgent: string;
}

export type AttestResult =
  | { ok: true; attestation: AttestationDoc; created: boolean; completed: boolean }
  | { ok: false; reason: 'not-ready' | 'unknown-user' }
  /** Which fields failed: both are reported at once so the form shows every problem together. */
  | { ok: false; reason: 'invalid'; fields: Array<'typedName' | 'agreed'> };

export function findAttestation(deps: Pick<CompletionDeps, 'models'>, cycleId: string) {
  return deps.models.Attestation.findById(cycleId).lean<AttestationDoc>();
}

/**
 * Records the learner's typed-name attestation for one cycle, bound to the course version they saw.
 *
 * The record's `_id` is the cycle id, so a replayed or double-submitted form hits a duplicate key
 * and gets the existing attestation back: never a second record and never an error page.
 * The typed name must match the profile name (ignoring case and extra spaces).
 */
export async function attest(deps: CompletionDeps, input: AttestInput, now: Date): Promise<AttestResult> {
  const { models, audit } = deps;
  const { cycle, course } = input;

  const existing = await findAttestation(deps, cycle._id);
  if (existing) return finish(existing, false);

  if (!canAttest(cycle)) return { ok: false, reason: 'not-ready' };
  const person = await models.User.findById(input.userId, { name: 1 }).lean();
  if (!person) return { ok: false, reason: 'unknown-user' };
  const fields: Array<'typedName' | 'agreed'> = [];
  if (normaliseName(input.typedName) !== normaliseName(person.name)) fields.push('typedName');
  if (!input.agreed) fields.push('agreed');
  if (fields.length > 0) return { ok: false, reason: 'invalid', fields };

  const proposed: AttestationDoc = {
    _id: cycle._id,
    cycleId: cycle._id,
    cycleNo: cycle.n,
    userId: input.userId,
    courseId: course.id,
    contentVersion: course.version,
    policyTitle: course.policyTitle,
    typedName: input.typedName.trim().replace(/\s+/g, ' '),
    statement: ATTESTATION_STATEMENT,
    at: now,
    ip: input.ip.slice(0, 100),
    userAgent: input.userAgent.slice(0, 500),
  };
  const stored = await insertOnce<AttestationDoc>(models.Attestation, proposed);
  const created = stored === proposed;
  if (created) {
    await audit.append(
      {
        actorId: input.userId,
        action: 'attested',
        targetType: 'cycle',
        targetId: cycle._id,
        subjectId: input.userId,
        details: { courseId: course.id, cycleNo: cycle.n, contentVersion: course.version, ip: proposed.ip },
      },
      now,
    );
  }
  return finish(stored, created);

  async function finish(record: AttestationDoc, wasCreated: boolean): Promise<AttestResult> {
    // Copying the record's own values makes this write idempotent, and repairs a cycle left
    // without them if a previous request stopped between the insert and this update.
    if (!cycle.attestedAt || cycle.attestedVersion !== record.contentVersion) {
      await trainingRepository(models).updateCycle(cycle._id, {
        attestedAt: record.at,
        attestedVersion: record.contentVersion,
      });
    }
    const { completed } = await evaluateCompletion(deps, cycle._id, now);
    return { ok: true, attestation: record, created: wasCreated, completed };
  }
}
