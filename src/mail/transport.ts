import nodemailer from 'nodemailer';
import { isDuplicateKey } from '../db/connection.js';
import { driverCollection } from '../db/driver-collection.js';
import type { Models } from '../db/models/index.js';
import { recordingFailures } from './failures.js';

export interface OutgoingMail {
  /** Stable id: a reminder's key, so storing the same reminder twice is impossible. */
  id: string;
  to: string[];
  cc: string[];
  subject: string;
  text: string;
  html: string;
  kind: string;
  reminderId: string | null;
}

export interface Mailer {
  readonly kind: 'smtp' | 'outbox';
  send(mail: OutgoingMail, now: Date): Promise<void>;
  /**
   * Sends many messages (the sweep's reminders). Like `send`, a message whose id was stored
   * before counts as sent; an error means some messages may not have gone out.
   */
  sendMany(mails: readonly OutgoingMail[], now: Date): Promise<void>;
  close(): void;
}

/** Outbox documents per insert: one round trip instead of one per message (FerretDB serialises writes). */
export const OUTBOX_BATCH = 500;

function outboxDoc(mail: OutgoingMail, now: Date) {
  const { id, ...rest } = mail;
  return { _id: id, ...rest, createdAt: now };
}

/** Only duplicate keys (a message stored before, e.g. by a retried sweep) in an unordered insert. */
function onlyDuplicates(err: unknown): boolean {
  const writeErrors = (err as { writeErrors?: Array<{ code?: number; err?: { code?: number } }> })
    .writeErrors;
  return !!writeErrors?.length && writeErrors.every((e) => (e.code ?? e.err?.code) === 11000);
}

/** Without an SMTP server, mail is kept in the `outbox` collection, which HR reads at /hr/outbox. */
export function outboxMailer(models: Models): Mailer {
  return {
    kind: 'outbox',
    async send(mail, now) {
      try {
        await models.Outbox.create(outboxDoc(mail, now));
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
    },
    async sendMany(mails, now) {
      for (let i = 0; i < mails.length; i += OUTBOX_BATCH) {
        const docs = mails.slice(i, i + OUTBOX_BATCH).map((m) => outboxDoc(m, now));
        try {
          // Unordered: a duplicate does not stop the rest of the batch.
          // The driver directly: the documents are complete, mongoose's casting adds nothing.
          await driverCollection(models.Outbox).insertMany(docs, { ordered: false });
        } catch (err) {
          if (!onlyDuplicates(err)) throw err;
        }
      }
    },
    close() {},
  };
}

export function smtpMailer(smtpUrl: string, from: string): Mailer {
  const transport = nodemailer.createTransport(smtpUrl);
  const mailer: Mailer = {
    kind: 'smtp',
    async send(mail) {
      await transport.sendMail({
        from,
        to: mail.to,
        cc: mail.cc.length ? mail.cc : undefined,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        // Lets the receiving side (and a retried send) recognise the same reminder.
        messageId: `<${mail.id.replace(/[^A-Za-z0-9.-]/g, '.')}@policy-training>`,
        headers: { 'X-Policy-Training-Kind': mail.kind },
      });
    },
    // One by one: an SMTP server takes one message per transaction anyway.
    async sendMany(mails, now) {
      for (const mail of mails) await mailer.send(mail, now);
    },
    close() {
      transport.close();
    },
  };
  return mailer;
}

/** The configured mailer; a message that fails to go out is recorded for HR (see failures.ts). */
export function createMailer(config: { SMTP_URL?: string; MAIL_FROM: string }, models: Models): Mailer {
  const inner = config.SMTP_URL ? smtpMailer(config.SMTP_URL, config.MAIL_FROM) : outboxMailer(models);
  return recordingFailures(inner, models);
}
