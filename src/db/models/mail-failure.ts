import { Schema } from 'mongoose';

/**
 * A message the mailer could not hand over (SMTP refused, the outbox insert failed), keyed by the
 * message's own id: a later failure of the same message overwrites the record, a later success
 * removes it. HR home counts these ("mail that failed to send") and /hr/outbox/failed lists them.
 */
export interface MailFailureDoc {
  _id: string;
  to: string[];
  subject: string;
  kind: string;
  reminderId: string | null;
  /** The transport's error message, shortened; never shown outside HR's pages. */
  error: string;
  failedAt: Date;
}

export const mailFailureSchema = new Schema<MailFailureDoc>(
  {
    _id: { type: String, required: true },
    to: { type: [String], default: [] },
    subject: { type: String, required: true },
    kind: { type: String, required: true },
    reminderId: { type: String, default: null },
    error: { type: String, default: '' },
    failedAt: { type: Date, required: true },
  },
  { collection: 'mail_failures', versionKey: false },
);
