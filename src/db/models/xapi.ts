import { Schema } from 'mongoose';

/**
 * The LRS the web app sends xAPI statements to (#27): one document, `_id: 'xapi'`. The secret is
 * stored only sealed (AES-256-GCM with the key kept outside the database, as the SSO client
 * secret: services/identity/sso/secret-box.ts).
 */
export interface XapiConfigDoc {
  _id: string;
  enabled: boolean;
  /** The LRS's xAPI base URL, ending in `/` (statements go to `${endpoint}statements`). */
  endpoint: string;
  /** HTTP Basic user name (the LRS's "key"). */
  key: string;
  /** `v1.<iv>.<tag>.<ciphertext>`; '' when none is set. */
  secretSealed: string;
  /** How learners are named to the LRS: their account on this app, or their e-mail address. */
  actor: 'account' | 'mbox';
  updatedAt: Date;
  updatedBy: string | null;
}

export const XAPI_CONFIG_ID = 'xapi';

export const xapiConfigSchema = new Schema<XapiConfigDoc>(
  {
    _id: { type: String, required: true },
    enabled: { type: Boolean, default: false },
    endpoint: { type: String, default: '' },
    key: { type: String, default: '' },
    secretSealed: { type: String, default: '' },
    actor: { type: String, enum: ['account', 'mbox'], default: 'account' },
    updatedAt: { type: Date, required: true },
    updatedBy: { type: String, default: null },
  },
  { collection: 'xapi_config', versionKey: false, minimize: false },
);

export type XapiOutboxStatus = 'pending' | 'sent' | 'rejected';

/**
 * One statement waiting for, or done with, the LRS. `_id` is the statement id (derived from the
 * event's natural key), so recording the same event twice inserts nothing the second time.
 * Sent rows move to `xapi_sent` (below).
 */
export interface XapiOutboxDoc {
  _id: string;
  statement: Record<string, unknown>;
  /** The learner: the row holds their identity (the statement's actor). */
  userId: string;
  kind: string;
  status: XapiOutboxStatus;
  /** Failed deliveries so far (network, 5xx, 408, 429); the next waits longer. */
  attempts: number;
  nextAttemptAt: Date;
  createdAt: Date;
  sentAt: Date | null;
  /** Why the last delivery failed ('' when none did). */
  lastError: string;
  /** What the LRS answered when it refused the statement for good (4xx). */
  rejection: { status: number; body: string } | null;
}

const outboxFields = {
  _id: { type: String, required: true },
  statement: { type: Schema.Types.Mixed, required: true },
  userId: { type: String, required: true },
  kind: { type: String, required: true },
  status: { type: String, enum: ['pending', 'sent', 'rejected'], required: true },
  attempts: { type: Number, default: 0 },
  nextAttemptAt: { type: Date, required: true },
  createdAt: { type: Date, required: true },
  sentAt: { type: Date, default: null },
  lastError: { type: String, default: '' },
  rejection: { type: Schema.Types.Mixed, default: null },
} as const;

export const xapiOutboxSchema = new Schema<XapiOutboxDoc>(outboxFields, {
  collection: 'xapi_outbox',
  versionKey: false,
  minimize: false,
});
xapiOutboxSchema.index({ status: 1, nextAttemptAt: 1 });

/**
 * Statements the LRS took, moved out of `xapi_outbox` when sent (same shape, status 'sent'): the
 * sender and the backlog read only what waits or was refused, and FerretDB scans what it reads, so
 * a year of sent statements must not sit in the collection read every minute and every scrape.
 * Kept for the mail outbox's retention period (privacy/retention.ts), then deleted.
 */
export const xapiSentSchema = new Schema<XapiOutboxDoc>(outboxFields, {
  collection: 'xapi_sent',
  versionKey: false,
  minimize: false,
});
