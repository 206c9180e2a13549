import { Schema } from 'mongoose';

/**
 * HR home's figures that need a pass over the assignments and cycles (`_id = 'hr-home'`), counted in
 * the background and kept here like the report summaries, so the home page never waits for a pass
 * (about 20 s over 10k people and their cycles on FerretDB). Shapes: services/reporting/needs-me.ts.
 */
export interface NeedsMeDoc {
  _id: string;
  asOf: Date;
  overdue: unknown;
  attemptsUsedUp: unknown;
  expiring: unknown;
  tookMs: number;
}

export const needsMeSchema = new Schema<NeedsMeDoc>(
  {
    _id: { type: String, required: true },
    asOf: { type: Date, required: true },
    overdue: { type: Schema.Types.Mixed, default: null },
    attemptsUsedUp: { type: Schema.Types.Mixed, default: null },
    expiring: { type: Schema.Types.Mixed, default: null },
    tookMs: { type: Number, default: 0 },
  },
  { collection: 'needs_me', versionKey: false, minimize: false },
);
