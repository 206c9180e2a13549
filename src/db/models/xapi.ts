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

export type XapiOutboxStatus = 'pending' | 'rejected';

/**
 * One statement waiting for the LRS, or refused by it. `_id` is the statement id (derived from the
 * event's natural key), so recording the same event twice inserts nothing the second time. A row
 * the LRS took is deleted (the LRS holds the statement; the day's `xapi_sent:<day>` mark counts it),
 * so the collection stays small: FerretDB v1 scans whatever is not read by `_id`, and the sender and
 * the backlog read it every minute and every scrape. Rejected and long-waiting rows are deleted
 * after the outbox retention period (privacy/retention.ts).
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
  /** Why the last delivery failed ('' when none did). */
  lastError: string;
  /** What the LRS answered when it refused the statement for good (4xx). */
  rejection: { status: number; body: string } | null;
}

export const xapiOutboxSchema = new Schema<XapiOutboxDoc>(
  {
    _id: { type: String, required: true },
    statement: { type: Schema.Types.Mixed, required: true },
    userId: { type: String, required: true },
    kind: { type: String, required: true },
    status: { type: String, enum: ['pending', 'rejected'], required: true },
    attempts: { type: Number, default: 0 },
    nextAttemptAt: { type: Date, required: true },
    createdAt: { type: Date, required: true },
    lastError: { type: String, default: '' },
    rejection: { type: Schema.Types.Mixed, default: null },
  },
  { collection: 'xapi_outbox', versionKey: false, minimize: false },
);
xapiOutboxSchema.index({ status: 1, nextAttemptAt: 1 });

/**
 * The sender's small documents, each read and written by `_id` alone (no personal data):
 *  - `xapi_sent:<YYYY-MM-DD>`: how many statements the LRS took that UTC day (`$inc` per batch),
 *    for the admin page and /metrics;
 *  - `xapi_backlog`: the outbox's summary (pending, rejected, the oldest waiting row's time), moved
 *    with `$inc` at each status change and recounted nightly (services/xapi/backlog-summary.ts).
 */
export interface XapiMarkDoc {
  _id: string;
  at: Date;
  /** Sent statements (day marks only). */
  sent?: number;
  /** The backlog summary's counts and oldest waiting time. */
  pending?: number;
  rejected?: number;
  oldestPendingAt?: Date;
  nextDueAt?: Date;
  dueVersion?: number;
}

export const xapiMarkSchema = new Schema<XapiMarkDoc>(
  {
    _id: { type: String, required: true },
    at: { type: Date, required: true },
    sent: { type: Number },
    pending: { type: Number },
    rejected: { type: Number },
    oldestPendingAt: { type: Date },
    nextDueAt: { type: Date },
    dueVersion: { type: Number },
  },
  { collection: 'xapi_marks', versionKey: false },
);
