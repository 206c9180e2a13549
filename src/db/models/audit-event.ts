import { Schema } from 'mongoose';

/** `000000000042` for event 42: twelve digits sort like the numbers up to a trillion events. */
export const auditEventId = (seq: number): string => String(seq).padStart(12, '0');

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
    prevHash: { type: String, required: true },
    hash: { type: String, required: true },
  },
  { collection: 'audit_events', versionKey: false, minimize: false },
);

/**
 * The end of the audit chain as the nightly job found it, one per UTC day (`_id` is the day). A hash
 * chain shows an edited or removed event anywhere before its end, but not events removed from the
 * end itself; an anchor makes that visible too: `audit:verify` checks that the chain still reaches
 * every anchored event with the same hash. The weekly digest mails the latest one to HR, a copy
 * outside the database.
 */
export interface AuditAnchorDoc {
  _id: string;
  seq: number;
  hash: string;
  at: Date;
}

export const auditAnchorSchema = new Schema<AuditAnchorDoc>(
  {
    _id: { type: String, required: true },
    seq: { type: Number, required: true },
    hash: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'audit_anchors', versionKey: false },
);
