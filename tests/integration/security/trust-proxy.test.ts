import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import type { Config } from '../../../src/config.js';
import { createTestApp, createUser, Session, type TestApp } from '../../helpers/app.js';

/** A browser behind `remoteAddress` that claims to be `forwardedFor`. */
class ForwardedSession extends Session {
  constructor(
    t: TestApp,
    readonly remoteAddress: string,
    readonly forwardedFor: string,
  ) {
    super(t.app);
  }

  override request(opts: InjectOptions): Promise<LightMyRequestResponse> {
    const headers = { ...(opts.headers ?? {}), 'x-forwarded-for': this.forwardedFor };
    return super.request({ ...opts, remoteAddress: this.remoteAddress, headers });
  }
}

const opened: TestApp[] = [];
afterAll(async () => Promise.all(opened.map((t) => t.close())));

/** Signs in through the real form and returns the client address the audit log kept for it. */
async function addressRecordedFor(config: Partial<Config>, remoteAddress: string): Promise<string> {
  const t = await createTestApp({ label: 'trust-proxy', seed: false, config });
  opened.push(t);
  const user = await createUser(t.app, { email: 'learner@example.test' });
  const s = new ForwardedSession(t, remoteAddress, '203.0.113.77');
  const res = await s.post('/login', { email: 'learner@example.test', password: 'demo-password' }, '/login');
  expect(res.statusCode).toBe(303);
  const event = await t.app.db.models.AuditEvent.findOne({
    action: 'login.success',
    actorId: user._id,
  }).lean();
  // The address is personal data: in the event's erasable part (issue #25).
  return String((event?.personal as { ip?: string } | undefined)?.ip);
}

describe('TRUST_PROXY decides who may set the client address', () => {
  it('ignores X-Forwarded-For by default, in production too', async () => {
    expect(await addressRecordedFor({ NODE_ENV: 'production' }, '198.51.100.4')).toBe('198.51.100.4');
  });

  it('takes the address the nearest proxy forwarded when one hop is trusted', async () => {
    expect(await addressRecordedFor({ TRUST_PROXY: '1' }, '10.0.0.2')).toBe('203.0.113.77');
  });

  it('trusts a listed proxy range only when the request comes from it', async () => {
    const config = { TRUST_PROXY: '10.0.0.0/8, 192.168.1.1' };
    expect(await addressRecordedFor(config, '10.9.8.7')).toBe('203.0.113.77');
    expect(await addressRecordedFor(config, '198.51.100.4')).toBe('198.51.100.4');
  });
});
