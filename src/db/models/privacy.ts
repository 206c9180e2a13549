import { Schema } from 'mongoose';

/** `_id` of the one retention settings document. */
export const RETENTION_SETTINGS_ID = 'retention';

/** What the last nightly retention run did, for the settings page (the audit log has every run). */
export interface RetentionLastRun {
  at: Date;
  peopleErased: number;
  answersRemoved: number;
  sessionsDeleted: number;
  outboxDeleted: number;
}

/**
 * The admin's retention settings (domain/retention.ts RetentionSettings; a value absent or out of
 * bounds reads as its default) and the last run. Absent until first saved or run.
 */
export interface RetentionSettingsDoc {
  _id: string;
  recordsYearsAfterLeaving?: number;
  quizAnswerMonths?: number;
  sessionDays?: number;
  outboxDays?: number;
  updatedAt?: Date;
  updatedBy?: string | null;
  lastRun?: RetentionLastRun;
}

export const retentionSettingsSchema = new Schema<RetentionSettingsDoc>(
  {
    _id: { type: String, required: true },
    recordsYearsAfterLeaving: { type: Number },
    quizAnswerMonths: { type: Number },
    sessionDays: { type: Number },
    outboxDays: { type: Number },
    updatedAt: { type: Date },
    updatedBy: { type: String },
    lastRun: { type: Schema.Types.Mixed },
  },
  { collection: 'retention_settings', versionKey: false },
);
