import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reminderKey } from '../../src/db/keys.js';
import type { OutboxDoc } from '../../src/db/models/hr.js';
import { sendLoginAlert } from '../../src/services/identity/login-alerts.js';
import { runNightly } from '../../src/services/jobs/nightly.js';
import { createTestApp, createUser, type TestApp } from '../helpers/app.js';
import { jobContext } from '../helpers/jobs.js';

/**
 * The weekly digest and the failed-sign-in alert in the recipient's language (#26): the person's
 * own choice, as reminders do; an HR person who chose none keeps the English digest.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ label: 'mail-language' });
  t.clock.set('2026-03-23T02:30:00Z');
});
afterAll(async () => t.close());

const mail = (id: string) => t.app.db.models.Outbox.findById(id).lean<OutboxDoc>();

describe('the weekly digest', () => {
  it('goes to a German HR person in German and to the others in English', async () => {
    const heidi = await createUser(t.app, {
      email: 'heidi@lang.test',
      name: 'Heidi Hoch',
      role: 'hr',
      locale: 'de',
    });
    const hana = await createUser(t.app, {
      email: 'hana@lang.test',
      name: 'Hana Hill',
      role: 'hr',
      locale: '',
    });
    // 23 March 2026 is a Monday: the digest goes out.
    const report = await runNightly(jobContext(t), { now: t.clock.now() });
    expect(report.digestsSent).toBeGreaterThanOrEqual(2);
    const key = (id: string) => reminderKey(id, 'all', 0, { kind: 'digest', day: '2026-03-23' });
    const german = (await mail(key(heidi._id)))!;
    expect(german.subject).toBe('Wöchentliche Schulungsübersicht · 2026-03-23');
    expect(german.text).toContain('Schulungsstand für die Woche vom 2026-03-23.');
    expect(german.text).toContain('HR-Dashboard öffnen');
    expect(german.html).toContain('<html lang="de"');
    expect(german.text).not.toMatch(/Training status|Audit log|Keep this e-mail/);
    const english = (await mail(key(hana._id)))!;
    expect(english.subject).toBe('Weekly training digest · 2026-03-23');
    expect(english.text).toContain('Training status for the week of 2026-03-23.');
  });
});

describe('the failed sign-in alert', () => {
  it('goes to a German person in German', async () => {
    const gerd = await createUser(t.app, { email: 'gerd@lang.test', name: 'Gerd Graf', locale: 'de' });
    const windowStart = t.clock.now();
    await sendLoginAlert(jobContext(t), {
      account: gerd.email,
      failures: 10,
      windowStart,
      windowMinutes: 15,
      now: t.clock.now(),
    });
    const alert = (await mail(`login-alert:${gerd._id}:${windowStart.toISOString()}`))!;
    expect(alert.subject).toBe('Fehlgeschlagene Anmeldungen bei Ihrem Policy-Training-Konto');
    expect(alert.text).toContain('Hallo Gerd Graf,');
    expect(alert.text).toContain('10-mal innerhalb von 15 Minuten');
    expect(alert.text).toContain('Bei Policy Training anmelden');
    expect(alert.text).not.toMatch(/Hello|Someone tried|Sign in to/);
  });
});
