import type { Models } from '../../db/models/index.js';
import type { UsersRepository } from '../../db/repositories/users.js';
import { failedSignInsMessage } from '../../mail/templates.js';
import { createMailer, type Mailer } from '../../mail/transport.js';
import type { AuditLog } from '../audit/log.js';

export interface LoginAlertDeps {
  users: UsersRepository;
  audit: AuditLog;
  models: Models;
  config: { SMTP_URL?: string; MAIL_FROM: string; BASE_URL: string };
}

/**
 * E-mails an account's owner that it saw many failed sign-ins, and audits that it did. Runs off the
 * request path, so a sign-in for an existing account takes no longer than one for an unknown
 * address; for an unknown or inactive address it does nothing.
 */
export function loginAlerts(deps: LoginAlertDeps) {
  let mailer: Mailer | null = null;
  const pending = new Set<Promise<void>>();

  async function send(
    account: string,
    failures: number,
    windowStart: Date,
    windowMinutes: number,
    now: Date,
  ) {
    const user = await deps.users.findByEmail(account);
    if (!user?.active) return;
    // One message per account and window: the outbox refuses a second one with the same id.
    const id = `login-alert:${user._id}:${windowStart.toISOString()}`;
    mailer ??= createMailer(deps.config, deps.models);
    const body = failedSignInsMessage({
      personName: user.name,
      failures,
      minutes: windowMinutes,
      link: `${deps.config.BASE_URL}/login`,
    });
    await mailer.send({ id, to: [user.email], cc: [], ...body, kind: 'login-alert', reminderId: null }, now);
    await deps.audit.append(
      {
        actorId: null,
        action: 'login.failures-alert',
        targetType: 'user',
        targetId: user._id,
        subjectId: user._id,
        details: { failures, windowStart: windowStart.toISOString() },
      },
      now,
    );
  }

  return {
    /** Starts the alert and returns at once; `onError` receives a failure (logged by the caller). */
    notify(
      account: string,
      failures: number,
      windowStart: Date,
      windowMinutes: number,
      now: Date,
      onError: (err: unknown) => void,
    ): void {
      const job = send(account, failures, windowStart, windowMinutes, now).catch(onError);
      pending.add(job);
      void job.finally(() => pending.delete(job));
    },

    /** Waits for alerts under way, then closes the mailer (app close). */
    async close(): Promise<void> {
      await Promise.allSettled([...pending]);
      mailer?.close();
    },
  };
}
