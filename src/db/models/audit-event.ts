import { Schema } from 'mongoose';

/** `000000000042` for event 42: twelve digits sort like the numbers up to a trillion events. */

/**
 * One entry of the append-only audit log. `_id` is the sequence number as a zero-padded string
 * (auditEventId): FerretDB v1 uses its `_id` index only for string and ObjectId values, so a
 * numeric `_id` made every lookup a scan of the whole log. Padding keeps `_id` order = seq order.
 */
export interface AuditEventDoc {
  _id: string;
  seq: number;
  at: Date;
  actorId: string | null;
  action: string;
  targetType: string;
  targetId: string;
  /** Person the event concerns, so per-person history can find it. */
  subjectId: string | null;
  details: Record<string, unknown>;
  /**
   * The event's personal data (domain/audit-personal.ts), outside the hash: the hash covers
   * `personalDigest` = sha256(salt ‖ canonicalJson(personal)). Erasure deletes `personal` and `salt`
   * and sets `personalErasedAt`; the digest stays, so the chain still verifies. All absent on events
   * without personal data and on events written before commitments.
   */
  personal?: Record<string, unknown> | null;
  salt?: string | null;
  personalDigest?: string;
  personalErasedAt?: Date | null;
  prevHash: string;
  hash: string;
}

export const auditEventSchema = new Schema<AuditEventDoc>(
  {
    _id: { type: String, required: true },
    seq: { type: Number, required: true },
    at: { type: Date, required: true },
    actorId: { type: String, default: null },
    action: { type: String, required: true },
    targetType: { type: String, required: true },
    targetId: { type: String, required: true },
    subjectId: { type: String, default: null },
    details: { type: Schema.Types.Mixed, default: {} },
    personal: { type: Schema.Types.Mixed },
    salt: { type: String },
    personalDigest: { type: String },
    personalErasedAt: { type: Date },
    prevHash: { type: String, required: true },
    hash: { type: String, required: true },
  },
  { collection: 'audit_events', versionKey: false, minimize: false },
);

/**
 * The end of the audit chain as the first job of a UTC hour found it (`_id` is the hour,
 * `2026-03-02T10`; the insert is the guard, so one per hour across instances). A hash chain shows
 * an edited or removed event anywhere before its end, but whoever can write the database can
 * recompute every hash after an edit, or cut the end off. The anchor's Ed25519 signature, made
 * with a key kept outside the database (domain/audit-anchor.ts), pins the chain up to `seq`:
 * `audit:verify` checks every signature and that the chain still reaches every anchored event
 * with the same hash. Anchors written before signing was enabled (one per UTC day, `_id` the day)
 * have no `keyId` or `signature`.
 */
export interface AuditAnchorDoc {
  _id: string;
  seq: number;
  hash: string;
  at: Date;
  /** keyIdOf(the signing key); absent on anchors from before signing. */
  keyId?: string;
  /** Base64 Ed25519 signature of anchorMessage(); absent on anchors from before signing. */
  signature?: string;
}

export const auditAnchorSchema = new Schema<AuditAnchorDoc>(
  {
    _id: { type: String, required: true },
    seq: { type: Number, required: true },
    hash: { type: String, required: true },
    at: { type: Date, required: true },
    keyId: { type: String },
    signature: { type: String },
  },
  { collection: 'audit_anchors', versionKey: false },
);
