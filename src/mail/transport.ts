import nodemailer from 'nodemailer';
import { isDuplicateKey } from '../db/connection.js';
import type { Models } from '../db/models/index.js';

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
  close(): void;
}

/** Without an SMTP server, mail is kept in the `outbox` collection, which HR reads at /hr/outbox. */
export function outboxMailer(models: Models): Mailer {
  return {
    kind: 'outbox',
    async send(mail, now) {
      const { id, ...rest } = mail;
      try {
        await models.Outbox.create({ _id: id, ...rest, createdAt: now });
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
    },
    close() {},
  };
}

export function smtpMailer(smtpUrl: string, from: string): Mailer {
  const transport = nodemailer.createTransport(smtpUrl);
  return {
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
    close() {
      transport.close();
    },
  };
}

export function createMailer(config: { SMTP_URL?: string; MAIL_FROM: string }, models: Models): Mailer {
  return config.SMTP_URL ? smtpMailer(config.SMTP_URL, config.MAIL_FROM) : outboxMailer(models);
}
