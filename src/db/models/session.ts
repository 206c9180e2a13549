import { Schema } from 'mongoose';

/** Server-side session. Expired ones are deleted by a job: FerretDB has no TTL indexes. */
export interface SessionDoc {
  _id: string;
  userId?: string | null;
  expiresAt: Date;
  data: Record<string, unknown>;
}

export const sessionSchema = new Schema<SessionDoc>(
  {
    _id: { type: String, required: true },
    userId: { type: String, default: null },
    expiresAt: { type: Date, required: true },
    data: { type: Schema.Types.Mixed, default: {} },
  },
  { collection: 'sessions', versionKey: false, minimize: false },
);
