import { driverCollection } from '../db/driver-collection.js';
import type { Models } from '../db/models/index.js';
import type { Mailer, OutgoingMail } from './transport.js';

const ERROR_MAX = 300;

function errorText(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.slice(0, ERROR_MAX);
}

/**
 * Keeps a record of each message that did not go out, for HR home's "mail that failed to send".
 * Best effort: when the database is what failed, the record fails too and the original error is
 * what the caller sees.
 */
async function recordFailures(models: Models, mails: readonly OutgoingMail[], err: unknown, now: Date) {
  if (!mails.length) return;
  const error = errorText(err);
  const writes = mails.map((m) => ({
    updateOne: {
      filter: { _id: m.id },
      update: {
        $set: { to: m.to, subject: m.subject, kind: m.kind, reminderId: m.reminderId, error, failedAt: now },
      },
      upsert: true,
    },
  }));
  await driverCollection(models.MailFailure)
    .bulkWrite(writes, { ordered: false })
    .catch(() => {});
}

/**
 * The mailer with failures recorded. Sending semantics are the inner mailer's: SMTP stops at the
 * first refused message (a server that is down would otherwise time out once per message), and
 * the messages after it, claimed but never sent, are recorded with the same error.
 */
export function recordingFailures(inner: Mailer, models: Models): Mailer {
  return {
    kind: inner.kind,
    async send(mail, now) {
      try {
        await inner.send(mail, now);
      } catch (err) {
        await recordFailures(models, [mail], err, now);
        throw err;
      }
    },
    async sendMany(mails, now) {
      if (inner.kind === 'outbox') {
        try {
          await inner.sendMany(mails, now);
        } catch (err) {
          await recordFailures(models, mails, err, now);
          throw err;
        }
        return;
      }
      for (let i = 0; i < mails.length; i += 1) {
        try {
          await inner.send(mails[i]!, now);
        } catch (err) {
          await recordFailures(models, mails.slice(i), err, now);
          throw err;
        }
      }
    },
    close: () => inner.close(),
  };
}
