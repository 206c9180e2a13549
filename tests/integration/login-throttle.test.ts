import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ACTOR_EMAILS, ClientSession } from '../helpers/actors.js';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ label: 'login-throttle' });
});
afterAll(async () => t.close());

const errorOf = (html: string) => /<p class="field-error"[^>]*>([^<]+)</.exec(html)?.[1];

async function signIn(email: string, password: string, ip: string) {
  return new ClientSession(t.app, ip).post('/login', { email, password }, '/login');
}

async function failFrom(email: string, ips: string[]) {
  const statuses: number[] = [];
  for (const ip of ips) statuses.push((await signIn(email, 'wrong-password-1', ip)).statusCode);
  return statuses;
}

const ips = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}.${i + 1}`);

function loginAlerts(email: string) {
  return t.app.db.models.Outbox.find({ kind: 'login-alert', to: email }).lean();
}

describe('failed sign-ins never lock the real user out', () => {
  it('failures from many addresses, then the right password from a fresh address signs in', async () => {
    const email = ACTOR_EMAILS.otherEmployee;
    // Before: the 11th failure locked the account for 15 minutes, even for the right password.
    expect(await failFrom(email, ips('10.20.0', 12))).toEqual(Array(12).fill(401));
    const right = await signIn(email, TEST_PASSWORD, '10.20.1.1');
    expect(right.statusCode).toBe(303);
  });
});

describe('repeated failures from one address to one account are slowed progressively', () => {
  it('5 free failures, then waits of 30 s, 60 s, 2 min … each refused with "try again in", and a success clears it', async () => {
    const email = ACTOR_EMAILS.manager;
    const ip = '10.22.0.1';
    expect(await failFrom(email, Array(5).fill(ip))).toEqual(Array(5).fill(401));

    // The sixth attempt, even with the right password, must wait 30 seconds.
    const early = await signIn(email, TEST_PASSWORD, ip);
    expect(early.statusCode).toBe(429);
    expect(early.headers['retry-after']).toBe('30');
    expect(errorOf(early.body)).toBe(
      'Too many failed sign-ins for this e-mail from here. Please try again in 30 seconds.',
    );
    // Another address is not affected.
    expect((await signIn(email, 'wrong-password-1', '10.22.0.2')).statusCode).toBe(401);

    t.clock.advance(29_000);
    expect(errorOf((await signIn(email, TEST_PASSWORD, ip)).body)).toMatch(/try again in 1 second\./);
    t.clock.advance(1_000);
    expect((await signIn(email, 'wrong-password-2', ip)).statusCode).toBe(401); // sixth failure
    const second = await signIn(email, TEST_PASSWORD, ip);
    expect(second.statusCode).toBe(429);
    expect(errorOf(second.body)).toMatch(/try again in 1 minute\./);
    t.clock.advance(60_000);
    expect((await signIn(email, 'wrong-password-3', ip)).statusCode).toBe(401); // seventh
    expect(errorOf((await signIn(email, TEST_PASSWORD, ip)).body)).toMatch(/try again in 2 minutes\./);

    // After the wait, the right password signs in, and the pair starts afresh.
    t.clock.advance(2 * 60_000);
    expect((await signIn(email, TEST_PASSWORD, ip)).statusCode).toBe(303);
    expect(await failFrom(email, Array(5).fill(ip))).toEqual(Array(5).fill(401));
    expect((await signIn(email, TEST_PASSWORD, ip)).statusCode).toBe(429);
    t.clock.advance(30_000);
    expect((await signIn(email, TEST_PASSWORD, ip)).statusCode).toBe(303);
  });

  it('the wait is capped at 15 minutes', async () => {
    const email = 'employee@demo.test';
    const ip = '10.23.0.1';
    await failFrom(email, Array(5).fill(ip));
    for (let i = 0; i < 8; i += 1) {
      const refused = await signIn(email, 'wrong-password-1', ip);
      expect(refused.statusCode).toBe(429);
      t.clock.advance(Number(refused.headers['retry-after']) * 1000);
      expect((await signIn(email, 'wrong-password-1', ip)).statusCode).toBe(401);
    }
    const capped = await signIn(email, TEST_PASSWORD, ip);
    expect(capped.headers['retry-after']).toBe('900');
    expect(errorOf(capped.body)).toMatch(/try again in 15 minutes\./);
    t.clock.advance(900_000);
    expect((await signIn(email, TEST_PASSWORD, ip)).statusCode).toBe(303);
  });

  it('spelling the address differently (case, spaces) is the same account', async () => {
    const email = 'hr@demo.test';
    const ip = '10.24.0.1';
    await failFrom(email, Array(5).fill(ip));
    for (const variant of ['HR@demo.test', ` ${email}`, `${email} `, `  ${email}\t`]) {
      const res = await new ClientSession(t.app, ip).post(
        '/login',
        { email: variant, password: TEST_PASSWORD },
        '/login',
      );
      expect(res.statusCode, JSON.stringify(variant)).toBe(429);
    }
    t.clock.advance(30_000);
  });

  it('an unknown account is answered exactly like a known one', async () => {
    const ip = '10.25.0.1';
    await failFrom('nobody.here@demo.test', Array(5).fill(ip));
    const unknown = await signIn('nobody.here@demo.test', 'whatever-pass', ip);
    await failFrom(ACTOR_EMAILS.admin, Array(5).fill('10.25.0.2'));
    const known = await signIn(ACTOR_EMAILS.admin, 'whatever-pass', '10.25.0.2');
    expect(unknown.statusCode).toBe(429);
    expect(known.statusCode).toBe(429);
    expect(errorOf(unknown.body)).toBe(errorOf(known.body));
    expect(unknown.headers['retry-after']).toBe(known.headers['retry-after']);
    t.clock.advance(30_000);
  });
});

describe('one address trying many accounts (password spraying)', () => {
  it('is refused after 30 failures in 15 minutes, whatever the accounts, until the window ends', async () => {
    const ip = '10.26.0.1';
    const statuses: number[] = [];
    for (let i = 0; i < 31; i += 1) {
      statuses.push((await signIn(`spray-${i}@example.com`, 'Summer2026!', ip)).statusCode);
    }
    expect(statuses.slice(0, 30)).toEqual(Array(30).fill(401));
    expect(statuses[30]).toBe(429);
    const refused = await signIn('employee@demo.test', TEST_PASSWORD, ip);
    expect(errorOf(refused.body)).toMatch(/from your network\. Please try again in 15 minutes\./);
    t.clock.advance(15 * 60_000);
    expect((await signIn('spray-99@example.com', 'Summer2026!', ip)).statusCode).toBe(401);
  });

  it('correct sign-ins from one office address do not use up its allowance', async () => {
    const ip = '10.27.0.1';
    for (let i = 0; i < 31; i += 1) {
      expect((await signIn(ACTOR_EMAILS.employee, TEST_PASSWORD, ip)).statusCode).toBe(303);
    }
    expect((await signIn('someone@example.com', 'wrong-password-1', ip)).statusCode).toBe(401);
  });
});

describe('the owner is told about many failures', () => {
  it('after 10 failures in 15 minutes the owner gets one e-mail per window, and it is audited', async () => {
    const email = 'ben.bauer@demo.test';
    await failFrom(email, ips('10.28.0', 9));
    expect(await loginAlerts(email)).toHaveLength(0);
    await failFrom(email, ['10.28.1.1']);
    await vi.waitFor(async () => expect(await loginAlerts(email)).toHaveLength(1), { timeout: 5000 });
    const [mail] = await loginAlerts(email);
    expect(mail!.subject).toBe('Failed sign-ins to your Policy Training account');
    expect(mail!.text).toContain('with a wrong password 10 times in 15 minutes');
    expect(mail!.text).not.toContain('10.28.');

    // More failures in the same window: no second message.
    await failFrom(email, ips('10.28.2', 15));
    await new Promise((r) => setTimeout(r, 300));
    expect(await loginAlerts(email)).toHaveLength(1);

    // The next window: one more message after 10 more failures.
    t.clock.advance(15 * 60_000);
    await failFrom(email, ips('10.28.3', 10));
    await vi.waitFor(async () => expect(await loginAlerts(email)).toHaveLength(2), { timeout: 5000 });

    const user = await t.app.db.models.User.findOne({ email }).lean();
    const audited = await t.app.db.models.AuditEvent.find({ action: 'login.failures-alert' }).lean();
    expect(audited.filter((e) => e.subjectId === user!._id)).toHaveLength(2);
    // The owner can still sign in.
    expect((await signIn(email, TEST_PASSWORD, '10.28.9.9')).statusCode).toBe(303);
  });

  it('an unknown address gets no mail and the same answers', async () => {
    const email = 'no.such.person@demo.test';
    const statuses = await failFrom(email, ips('10.29.0', 12));
    expect(statuses).toEqual(Array(12).fill(401));
    await new Promise((r) => setTimeout(r, 300));
    expect(await loginAlerts(email)).toHaveLength(0);
    expect(await t.app.db.models.Outbox.countDocuments({ kind: 'login-alert', to: email })).toBe(0);
  });
});
