import { Schema } from 'mongoose';

/** `_id` of the one retention settings document. */
export const RETENTION_SETTINGS_ID = 'retention';

/** The admin's retention settings (domain/retention.ts RetentionSettings); absent until first saved. */
export interface RetentionSettingsDoc {
  _id: string;
  recordsYearsAfterLeaving: number;
  quizAnswerMonths: number;
  sessionDays: number;
  outboxDays: number;
  updatedAt: Date;
  updatedBy: string | null;
}

export const retentionSettingsSchema = new Schema<RetentionSettingsDoc>(
  {
    _id: { type: String, required: true },
    recordsYearsAfterLeaving: { type: Number, required: true },
    quizAnswerMonths: { type: Number, required: true },
    sessionDays: { type: Number, required: true },
    outboxDays: { type: Number, required: true },
    updatedAt: { type: Date, required: true },
    updatedBy: { type: String, default: null },
  },
  { collection: 'retention_settings', versionKey: false },
);
