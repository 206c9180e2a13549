import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatFingerprint } from '../../src/domain/audit-anchor.js';
import { verifyAuditChain } from '../../src/services/audit/verify.js';
import { complianceReportData } from '../../src/services/reporting/compliance-report.js';
import { createTestApp, loginAs, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ label: 'hr-compliance-fingerprint' });
  await loginAs(t.app, 'hr@demo.test'); // a few events in the log
});
afterAll(async () => t.close());

const period = { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-03-31T00:00:00Z') };

describe('compliance report fingerprint', () => {
  it('names the end of the chain the report verified', async () => {
    const now = t.clock.now();
    const ctx = { models: t.app.db.models, courses: t.app.courses };
    const report = await complianceReportData(ctx, { period, department: null, publicKey: null, now });
    const verified = await verifyAuditChain(t.app.db.models, { now });
    expect(verified.end.seq).toBe(verified.count);
    expect(verified.end.seq).toBeGreaterThan(0);
    expect(report.audit.end).toEqual(verified.end);
    expect(report.audit.fingerprint).toBe(formatFingerprint(verified.end));
  });

  it('names the last intact event when the chain is broken, not an event after the break', async () => {
    const models = t.app.db.models;
    const last = await models.AuditEvent.findOne({}).sort({ seq: -1 }).lean();
    await models.AuditEvent.collection.updateOne(
      { _id: last!._id as never },
      { $set: { action: 'edited.by.hand' } },
    );
    const now = t.clock.now();
    const ctx = { models, courses: t.app.courses };
    const report = await complianceReportData(ctx, { period, department: null, publicKey: null, now });
    expect(report.audit.ok).toBe(false);
    expect(report.audit.end.seq).toBe(last!.seq - 1);
    expect(report.audit.fingerprint.startsWith(`${last!.seq - 1}:`)).toBe(true);
  });
});
