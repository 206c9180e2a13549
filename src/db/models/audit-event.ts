import { Schema } from 'mongoose';

/** One entry of the append-only audit log. `_id` is the sequence number. */
export interface AuditEventDoc {
  _id: number;
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
    _id: { type: Number, required: true },
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
