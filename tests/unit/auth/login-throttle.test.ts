import { describe, expect, it } from 'vitest';
import {
  afterAccountFailure,
  beginAttempt,
  describeWait,
  LOGIN_THROTTLE_POLICY as P,
  pairDelayMs,
  type WindowRecord,
} from '../../../src/domain/login-throttle.js';
import { translator } from '../../../src/i18n/translator.js';

const T0 = Date.parse('2026-03-02T09:00:00Z');

describe('login throttle policy', () => {
  it('pairs: five free failures, then 30 s doubling to a 15-minute cap', () => {
    expect([4, 5, 6, 7, 8, 9, 10, 40].map((n) => pairDelayMs(n, P) / 1000)).toEqual([
      0, 30, 60, 120, 240, 480, 900, 900,
    ]);
  });

  it('counts an attempt when it begins, so concurrent attempts cannot all pass the check', () => {
    let records = {};
    let allowed = 0;
    for (let i = 0; i < 20; i += 1) {
      const d = beginAttempt(records, P, T0);
      if (!d.allowed) break;
      allowed += 1;
      records = { pair: d.pair, address: d.address };
    }
    expect(allowed).toBe(5);
  });

  it('a pair with no attempt for a day starts afresh', () => {
    const d = beginAttempt({ pair: { failures: 9, lastAt: T0 } }, P, T0 + P.pairForgetMs);
    expect(d).toMatchObject({ allowed: true, pair: { failures: 1 } });
  });

  it('addresses: 30 failures per 15-minute window, refused until it ends', () => {
    const address = { start: T0, failures: 30, alerted: false };
    expect(beginAttempt({ address }, P, T0 + 60_000)).toEqual({
      allowed: false,
      reason: 'address',
      retryAfterMs: 14 * 60_000,
    });
    expect(beginAttempt({ address }, P, T0 + 15 * 60_000)).toMatchObject({ allowed: true });
  });

  it('accounts: the owner alert fires once, at the 10th failure in a window, and again in the next window', () => {
    let account: WindowRecord | undefined;
    const alerts: number[] = [];
    for (let i = 1; i <= 25; i += 1) {
      const r = afterAccountFailure(account, P, T0 + i * 1000);
      account = r.account;
      if (r.alert) alerts.push(i);
    }
    expect(alerts).toEqual([10]);
    for (let i = 1; i <= 10; i += 1) {
      const r = afterAccountFailure(account, P, T0 + 16 * 60_000 + i);
      account = r.account;
      if (r.alert) alerts.push(100 + i);
    }
    expect(alerts).toEqual([10, 110]);
  });

  it('describes waits as a person reads them', () => {
    const english = (ms: number) => translator('en').t('auth.throttle.network', describeWait(ms));
    expect(
      [1, 999, 1000, 30_000, 59_001, 60_000, 61_000, 900_000].map(
        (ms) => /try again in (.*)\.$/.exec(english(ms))![1],
      ),
    ).toEqual([
      '1 second',
      '1 second',
      '1 second',
      '30 seconds',
      '1 minute',
      '1 minute',
      '2 minutes',
      '15 minutes',
    ]);
  });
});
