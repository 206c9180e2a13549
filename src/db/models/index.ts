import type { Connection } from 'mongoose';
import {
  type AuditAnchorDoc,
  type AuditEventDoc,
  auditAnchorSchema,
  auditEventSchema,
} from './audit-event.js';
import { type BulkJobDoc, bulkJobSchema } from './bulk-job.js';
import {
  type AssignmentRuleDoc,
  assignmentRuleSchema,
  type CourseSettingsDoc,
  courseSettingsSchema,
  type ImportPreviewDoc,
  importPreviewSchema,
  type OutboxDoc,
  outboxSchema,
  type ReminderDoc,
  reminderSchema,
} from './hr.js';
import { type ItemStatsDoc, itemStatsSchema } from './item-stats.js';
import {
  type ClassificationAnswerDoc,
  classificationAnswerSchema,
  type PolicyFeedbackDoc,
  policyFeedbackSchema,
} from './learning.js';
import { type MailFailureDoc, mailFailureSchema } from './mail-failure.js';
import {
  type ClauseMemoryDoc,
  clauseMemorySchema,
  type MasterySnapshotDoc,
  masterySnapshotSchema,
} from './mastery.js';
import { type NeedsMeDoc, needsMeSchema } from './needs-me.js';
import {
  type OrgLogoDoc,
  type OrgProfileDoc,
  type OrgProfileDraftDoc,
  orgLogoSchema,
  orgProfileDraftSchema,
  orgProfileSchema,
} from './organisation.js';
import {
  type PolicyDraftDoc,
  type PolicyHeadDoc,
  type PolicyVersionDoc,
  policyDraftSchema,
  policyHeadSchema,
  policyVersionSchema,
} from './policy.js';
import { type PolicyClauseTranslationDoc, policyClauseTranslationSchema } from './policy-translation.js';
import {
  type ClauseAnswerDoc,
  clauseAnswerSchema,
  type PracticeSessionDoc,
  practiceSessionSchema,
} from './practice.js';
import { type RetentionSettingsDoc, retentionSettingsSchema } from './privacy.js';
import { type AttemptDoc, type AttemptResultDoc, attemptResultSchema, attemptSchema } from './quiz.js';
import {
  type AttestationDoc,
  attestationSchema,
  type CertificateByCycleDoc,
  type CertificateDoc,
  type CertificateRevocationDoc,
  certificateByCycleSchema,
  certificateRevocationSchema,
  certificateSchema,
  type PolicyTextDoc,
  policyTextSchema,
} from './records.js';
import {
  type ReportListChunkDoc,
  type ReportSummaryDoc,
  type ReportTrendDoc,
  reportListChunkSchema,
  reportSummarySchema,
  reportTrendSchema,
} from './reporting.js';
import {
  type ScimDeletedDoc,
  type ScimExternalIdDoc,
  type ScimGroupDoc,
  type ScimTokenDoc,
  scimDeletedSchema,
  scimExternalIdSchema,
  scimGroupSchema,
  scimTokenSchema,
} from './scim.js';
import { type SessionDoc, sessionSchema } from './session.js';
import { type SsoConfigDoc, type SsoUsedCodeDoc, ssoConfigSchema, ssoUsedCodeSchema } from './sso.js';
import {
  type AssignmentDoc,
  assignmentSchema,
  type CycleDoc,
  cycleSchema,
  type LessonViewDoc,
  lessonViewSchema,
  type ProgressDoc,
  progressSchema,
} from './training.js';
import { type LoginKeyDoc, loginKeySchema, type UserDoc, userSchema } from './user.js';
import {
  type XapiConfigDoc,
  type XapiMarkDoc,
  type XapiOutboxDoc,
  xapiConfigSchema,
  xapiMarkSchema,
  xapiOutboxSchema,
} from './xapi.js';

/** Every model, defined on one connection (never on the global mongoose instance). */
export function defineModels(conn: Connection) {
  return {
    User: conn.model<UserDoc>('User', userSchema),
    LoginKey: conn.model<LoginKeyDoc>('LoginKey', loginKeySchema),
    Session: conn.model<SessionDoc>('Session', sessionSchema),
    SsoConfig: conn.model<SsoConfigDoc>('SsoConfig', ssoConfigSchema),
    SsoUsedCode: conn.model<SsoUsedCodeDoc>('SsoUsedCode', ssoUsedCodeSchema),
    AuditEvent: conn.model<AuditEventDoc>('AuditEvent', auditEventSchema),
    AuditAnchor: conn.model<AuditAnchorDoc>('AuditAnchor', auditAnchorSchema),
    RetentionSettings: conn.model<RetentionSettingsDoc>('RetentionSettings', retentionSettingsSchema),
    Assignment: conn.model<AssignmentDoc>('Assignment', assignmentSchema),
    Cycle: conn.model<CycleDoc>('Cycle', cycleSchema),
    LessonView: conn.model<LessonViewDoc>('LessonView', lessonViewSchema),
    Progress: conn.model<ProgressDoc>('Progress', progressSchema),
    Attempt: conn.model<AttemptDoc>('Attempt', attemptSchema),
    AttemptResult: conn.model<AttemptResultDoc>('AttemptResult', attemptResultSchema),
    Attestation: conn.model<AttestationDoc>('Attestation', attestationSchema),
    CertificateByCycle: conn.model<CertificateByCycleDoc>('CertificateByCycle', certificateByCycleSchema),
    Certificate: conn.model<CertificateDoc>('Certificate', certificateSchema),
    CertificateRevocation: conn.model<CertificateRevocationDoc>(
      'CertificateRevocation',
      certificateRevocationSchema,
    ),
    PolicyText: conn.model<PolicyTextDoc>('PolicyText', policyTextSchema),
    ClassificationAnswer: conn.model<ClassificationAnswerDoc>(
      'ClassificationAnswer',
      classificationAnswerSchema,
    ),
    PolicyFeedback: conn.model<PolicyFeedbackDoc>('PolicyFeedback', policyFeedbackSchema),
    ReportSummary: conn.model<ReportSummaryDoc>('ReportSummary', reportSummarySchema),
    ReportListChunk: conn.model<ReportListChunkDoc>('ReportListChunk', reportListChunkSchema),
    ReportTrend: conn.model<ReportTrendDoc>('ReportTrend', reportTrendSchema),
    ItemStats: conn.model<ItemStatsDoc>('ItemStats', itemStatsSchema),
    CourseSettings: conn.model<CourseSettingsDoc>('CourseSettings', courseSettingsSchema),
    AssignmentRule: conn.model<AssignmentRuleDoc>('AssignmentRule', assignmentRuleSchema),
    Reminder: conn.model<ReminderDoc>('Reminder', reminderSchema),
    Outbox: conn.model<OutboxDoc>('Outbox', outboxSchema),
    MailFailure: conn.model<MailFailureDoc>('MailFailure', mailFailureSchema),
    NeedsMe: conn.model<NeedsMeDoc>('NeedsMe', needsMeSchema),
    ImportPreview: conn.model<ImportPreviewDoc>('ImportPreview', importPreviewSchema),
    OrgProfile: conn.model<OrgProfileDoc>('OrgProfile', orgProfileSchema),
    OrgLogo: conn.model<OrgLogoDoc>('OrgLogo', orgLogoSchema),
    OrgProfileDraft: conn.model<OrgProfileDraftDoc>('OrgProfileDraft', orgProfileDraftSchema),
    PolicyVersion: conn.model<PolicyVersionDoc>('PolicyVersion', policyVersionSchema),
    PolicyHead: conn.model<PolicyHeadDoc>('PolicyHead', policyHeadSchema),
    PolicyDraft: conn.model<PolicyDraftDoc>('PolicyDraft', policyDraftSchema),
    PolicyClauseTranslation: conn.model<PolicyClauseTranslationDoc>(
      'PolicyClauseTranslation',
      policyClauseTranslationSchema,
    ),
    ScimToken: conn.model<ScimTokenDoc>('ScimToken', scimTokenSchema),
    ScimGroup: conn.model<ScimGroupDoc>('ScimGroup', scimGroupSchema),
    ScimDeleted: conn.model<ScimDeletedDoc>('ScimDeleted', scimDeletedSchema),
    ScimExternalId: conn.model<ScimExternalIdDoc>('ScimExternalId', scimExternalIdSchema),
    ClauseMemory: conn.model<ClauseMemoryDoc>('ClauseMemory', clauseMemorySchema),
    MasterySnapshot: conn.model<MasterySnapshotDoc>('MasterySnapshot', masterySnapshotSchema),
    ClauseAnswer: conn.model<ClauseAnswerDoc>('ClauseAnswer', clauseAnswerSchema),
    PracticeSession: conn.model<PracticeSessionDoc>('PracticeSession', practiceSessionSchema),
    BulkJob: conn.model<BulkJobDoc>('BulkJob', bulkJobSchema),
    XapiConfig: conn.model<XapiConfigDoc>('XapiConfig', xapiConfigSchema),
    XapiOutbox: conn.model<XapiOutboxDoc>('XapiOutbox', xapiOutboxSchema),
    XapiMark: conn.model<XapiMarkDoc>('XapiMark', xapiMarkSchema),
  };
}

export type Models = ReturnType<typeof defineModels>;

/** Creates the declared indexes (the unique ones are what make inserts the idempotency guard). */
export async function ensureIndexes(models: Models): Promise<void> {
  for (const model of Object.values(models) as Array<{ createIndexes(): Promise<unknown> }>) {
    await model.createIndexes();
  }
}
