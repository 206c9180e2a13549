import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSecondApp, createTestApp, type TestApp } from '../helpers/app.js';

// Revoking a SCIM token from several places at once (two admins' consoles, two instances, issue
// #30). The revocation was a filtered update (`{_id, revokedAt: null}`) whose count decided who
// audits it; FerretDB v1 does not make one atomic, so two racing revocations could both "revoke"
// and the audit log showed the token revoked twice.
let a: TestApp;
let b: TestApp;

beforeAll(async () => {
  a = await createTestApp({ label: 'scim_revoke_race', seed: false });
  b = await createSecondApp(a);
});

afterAll(async () => {
  await b?.close();
  await a?.close();
});

describe('a SCIM token revoked by four callers at once', () => {
  it('is revoked and audited exactly once, every round', async () => {
    const twice: string[] = [];
    for (let round = 0; round < 20; round++) {
      const { id } = await a.app.services.identity.createScimToken({ createdBy: 'race', now: new Date() });
      const now = new Date();
      const results = await Promise.all(
        [a, b, a, b].map((t, i) =>
          t.app.services.identity.revokeScimToken({ id, revokedBy: `admin-${i}`, now }),
        ),
      );
      const audited = await a.app.db.models.AuditEvent.countDocuments({
        targetId: id,
        action: 'scim.token.revoked',
      });
      const revoked = results.filter(Boolean).length;
      if (revoked !== 1 || audited !== 1)
        twice.push(`round ${round}: ${revoked} revoked, ${audited} audited`);
    }
    expect(twice).toEqual([]);
    // Revoking again later: nothing to do.
    const { id } = await a.app.services.identity.createScimToken({ createdBy: 'race', now: new Date() });
    const revoke = () => b.app.services.identity.revokeScimToken({ id, revokedBy: 'admin', now: new Date() });
    expect(await revoke()).toBe(true);
    expect(await revoke()).toBe(false);
  });
});
