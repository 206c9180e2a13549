import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientSession } from '../helpers/actors.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ label: 'login-audit-privacy' });
});
afterAll(async () => t.close());

describe('audit of failed sign-ins (data minimisation)', () => {
  it('records that an unknown account was tried, never the typed e-mail', async () => {
    const typed = 'Typo.Person+Secret@Example.ORG';
    const s = new ClientSession(t.app, '10.77.0.1');
    const res = await s.post('/login', { email: typed, password: 'wrong-password' }, '/login');
    expect(res.statusCode).toBe(401);

    const events = await t.app.db.models.AuditEvent.find({ action: 'login.failure' }).lean();
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event).toMatchObject({ actorId: null, subjectId: null, targetType: 'user' });
    expect(event!.details).toEqual({ account: 'unknown' });
    // The address is personal data: kept outside the hash, in the erasable part (issue #25).
    expect(event!.personal).toEqual({ ip: '10.77.0.1' });
    // Nothing the person typed, in any spelling, anywhere in the stored event.
    const stored = JSON.stringify(event).toLowerCase();
    expect(stored).not.toContain('typo.person');
    expect(stored).not.toContain('example.org');
  });

  it('a wrong password for a known account still names that account by its id', async () => {
    const user = await t.app.db.models.User.findOne({ email: 'employee@demo.test' }).lean();
    const s = new ClientSession(t.app, '10.77.0.2');
    await s.post('/login', { email: 'employee@demo.test', password: 'wrong-password' }, '/login');
    const event = await t.app.db.models.AuditEvent.findOne({
      action: 'login.failure',
      targetId: user!._id,
    }).lean();
    expect(event).toMatchObject({ subjectId: user!._id, personal: { ip: '10.77.0.2' } });
    expect(JSON.stringify(event)).not.toContain('employee@demo.test');
  });
});
