import type { UserDoc } from '../../db/models/user.js';
import type { FieldError } from '../../domain/assignment-rules.js';
import { formatDay } from '../../domain/display-dates.js';
import { attachmentDisposition, safeFileName } from '../../domain/download-name.js';
import { erasureConfirmationErrors } from '../../domain/erasure-confirmation.js';
import { Conflict, Forbidden, NotFound } from '../../domain/errors.js';
import { type Language, SOURCE_LANGUAGE } from '../../domain/i18n/languages.js';
import type { ErasureDuty } from '../../domain/retention.js';
import { translator } from '../../i18n/translator.js';
import type { ServiceContext } from '../context.js';
import { currentProfile } from '../organisation/profile.js';
import { type ErasureResult, erasePerson, erasureDutyFor } from './erase.js';
import { collectSubjectData } from './subject-export.js';
import { renderSubjectExportPdf } from './subject-export-pdf.js';

/** HR's view of one person's data requests: who, how much is held, and whether erasure is allowed. */
export interface PrivacyPage {
  person: Pick<UserDoc, 'name' | 'email' | 'department' | 'active'> & {
    id: string;
    employeeId: string | null;
    leftAt: Date | null;
    erasedAt: Date | null;
  };
  /** Documents held per kind, so HR sees the size of the record before downloading it. */
  held: Array<{ label: string; n: number }>;
  duty: ErasureDuty;
  /** HR looking at their own page: they may export, never erase themselves. */
  self: boolean;
  /** An administrator's account seen by HR: only an administrator may erase it. */
  adminOnly: boolean;
}

async function heldCounts(ctx: ServiceContext, user: UserDoc) {
  const { models } = ctx;
  const mine = { userId: user._id };
  const [assignments, cycles, attempts, attestations, certificates, feedback, mails, audit] =
    await Promise.all([
      models.Assignment.countDocuments(mine),
      models.Cycle.countDocuments(mine),
      models.Attempt.countDocuments(mine),
      models.Attestation.countDocuments(mine),
      models.Certificate.countDocuments(mine),
      models.PolicyFeedback.countDocuments(mine),
      models.Outbox.countDocuments({ $or: [{ to: user.email }, { cc: user.email }] }),
      models.AuditEvent.countDocuments({ $or: [{ subjectId: user._id }, { actorId: user._id }] }),
    ]);
  return [
    { label: 'privacy.held.assignments', n: assignments },
    { label: 'privacy.held.cycles', n: cycles },
    { label: 'privacy.held.attempts', n: attempts },
    { label: 'privacy.held.attestations', n: attestations },
    { label: 'privacy.held.certificates', n: certificates },
    { label: 'privacy.held.feedback', n: feedback },
    { label: 'privacy.held.mails', n: mails },
    { label: 'privacy.held.audit', n: audit },
  ];
}

export async function privacyPage(
  ctx: ServiceContext,
  input: { userId: string; actorId: string; now: Date },
): Promise<PrivacyPage> {
  const [user, actor] = await Promise.all([
    ctx.models.User.findById(input.userId, { passwordHash: 0 }).lean<UserDoc>(),
    ctx.models.User.findById(input.actorId, { role: 1 }).lean<Pick<UserDoc, 'role'>>(),
  ]);
  if (!user) throw new NotFound('privacy.errors.noPerson');
  return {
    person: {
      id: user._id,
      name: user.name,
      email: user.email,
      department: user.department,
      active: user.active,
      employeeId: user.employeeId ?? null,
      leftAt: user.leftAt ?? null,
      erasedAt: user.erasedAt ?? null,
    },
    held: await heldCounts(ctx, user),
    duty: await erasureDutyFor(ctx, input),
    self: input.actorId === user._id,
    adminOnly: user.role === 'admin' && actor?.role !== 'admin',
  };
}

export type ExportFormat = 'json' | 'pdf';

/** One download of the export, audited (format only: the event itself holds no personal data). */
export async function exportSubject(
  ctx: ServiceContext,
  input: { userId: string; actorId: string; format: ExportFormat; now: Date; language?: Language },
): Promise<{ body: Buffer | string; contentType: string; disposition: string }> {
  const { user, data } = await collectSubjectData(ctx, input);
  const body =
    input.format === 'json'
      ? JSON.stringify(data, null, 2)
      : await renderSubjectExportPdf(data, {
          name: user.name,
          issuer: (await currentProfile(ctx)).name,
          // The PDF reads in the language of the HR person who downloads it.
          i18n: translator(input.language ?? SOURCE_LANGUAGE),
        });
  await ctx.audit.append(
    {
      actorId: input.actorId,
      action: 'person.exported',
      targetType: 'user',
      targetId: user._id,
      subjectId: user._id,
      details: { format: input.format },
    },
    input.now,
  );
  const day = input.now.toISOString().slice(0, 10);
  const fileName = safeFileName(`personal-data-${user.employeeId || user._id}-${day}.${input.format}`);
  return {
    body,
    contentType: input.format === 'json' ? 'application/json; charset=utf-8' : 'application/pdf',
    disposition: attachmentDisposition(fileName),
  };
}

export type EraseRequestOutcome =
  | { kind: 'erased'; result: ErasureResult }
  | { kind: 'invalid'; errors: FieldError[] }
  /** A retention duty applies (the message names the rule and until when) or the person is already erased. */
  | { kind: 'refused'; message: string; values?: Record<string, string | number | Date> };

/**
 * Erasure on the person's request (GDPR Art. 17), after the confirmation step. HR cannot erase
 * themselves (their own account would vanish mid-request), nor an administrator. The duty check and the audit event are
 * erasePerson's.
 */
export async function eraseOnRequest(
  ctx: ServiceContext,
  input: { userId: string; actorId: string; typedName: string; confirmed: boolean; now: Date },
): Promise<EraseRequestOutcome> {
  if (input.actorId === input.userId) throw new Forbidden('privacy.errors.eraseSelf');
  const [user, actor] = await Promise.all([
    ctx.models.User.findById(input.userId, { name: 1, erasedAt: 1, role: 1 }).lean<
      Pick<UserDoc, 'name' | 'erasedAt' | 'role'>
    >(),
    ctx.models.User.findById(input.actorId, { role: 1 }).lean<Pick<UserDoc, 'role'>>(),
  ]);
  if (!user) throw new NotFound('privacy.errors.noPerson');
  // Erasing an account that can change the system is an administrator's call, not HR's.
  if (user.role === 'admin' && actor?.role !== 'admin') {
    throw new Forbidden('privacy.errors.adminOnly');
  }
  if (user.erasedAt) {
    return {
      kind: 'refused',
      message: 'privacy.errors.alreadyErased',
      values: { day: formatDay(user.erasedAt) },
    };
  }
  const errors = erasureConfirmationErrors({
    personName: user.name,
    typedName: input.typedName,
    confirmed: input.confirmed,
  });
  if (errors.length > 0) return { kind: 'invalid', errors };
  try {
    const result = await erasePerson(ctx, {
      userId: input.userId,
      actorId: input.actorId,
      reason: 'request',
      now: input.now,
    });
    return { kind: 'erased', result };
  } catch (err) {
    if (err instanceof Conflict) return { kind: 'refused', message: err.message, values: err.values };
    throw err;
  }
}
