import { describe, expect, it } from 'vitest';
import {
  type AddressRecord,
  afterAccountFailure,
  beginAttempt,
  describeWait,
  endAddressAttempt,
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
    const address = { start: T0, failures: 30 };
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

  it('attempts still in flight fill the address allowance only for a moment: "busy", seconds not the window', () => {
    let address: AddressRecord | undefined;
    const started: number[] = [];
    for (let i = 0; i < 40; i += 1) {
      const d = beginAttempt({ address }, P, T0 + i);
      if (!d.allowed) {
        expect(d).toEqual({ allowed: false, reason: 'busy', retryAfterMs: P.busyRetryMs });
        continue;
      }
      address = d.address;
      started.push(T0 + i);
    }
    // A parallel burst still gets exactly the 30 the window allows.
    expect(started).toHaveLength(30);
    expect(P.busyRetryMs).toBeLessThanOrEqual(5000);
    // All 30 were correct: the address is free again and nothing counts against it.
    for (const at of started)
      address = endAddressAttempt(address, { startedAt: at, failed: false }, P, T0 + 500);
    expect(address).toMatchObject({ failures: 0, inFlight: [] });
    expect(beginAttempt({ address }, P, T0 + 600)).toMatchObject({ allowed: true });
  });

  it('completed failures still count for the window: 30 wrong of 30 in flight → refused as "address" until it ends', () => {
    let address: AddressRecord | undefined;
    for (let i = 0; i < 30; i += 1) {
      const d = beginAttempt({ address }, P, T0);
      if (!d.allowed) throw new Error('refused too early');
      address = d.address;
    }
    for (let i = 0; i < 29; i += 1)
      address = endAddressAttempt(address, { startedAt: T0, failed: true }, P, T0 + 1000);
    expect(address).toMatchObject({ failures: 29, inFlight: [T0] });
    expect(beginAttempt({ address }, P, T0 + 1000)).toMatchObject({ allowed: false, reason: 'busy' });
    address = endAddressAttempt(address, { startedAt: T0, failed: true }, P, T0 + 1000);
    expect(beginAttempt({ address }, P, T0 + 2000)).toEqual({
      allowed: false,
      reason: 'address',
      retryAfterMs: 15 * 60_000 - 2000,
    });
  });

  it('checks slower than inFlightExpiryMs cannot free their slots: three waves 30 001 ms apart get 30 checks, not 90', () => {
    let address: AddressRecord | undefined;
    const started: number[] = [];
    for (const wave of [0, 1, 2]) {
      const now = T0 + wave * (P.inFlightExpiryMs + 1);
      for (let i = 0; i < 40; i += 1) {
        const d = beginAttempt({ address }, P, now);
        if (!d.allowed) continue;
        address = d.address;
        started.push(now);
      }
    }
    expect(started).toHaveLength(P.addressMaxFailures);
    // The next waves are refused for the window, not "busy": the expired attempts are failures.
    expect(beginAttempt({ address }, P, T0 + 2 * (P.inFlightExpiryMs + 1))).toMatchObject({
      reason: 'address',
    });
    // The late verdicts add nothing: each was counted when it expired.
    for (const at of started)
      address = endAddressAttempt(
        address,
        { startedAt: at, failed: true },
        P,
        T0 + 3 * (P.inFlightExpiryMs + 1),
      );
    expect(address).toMatchObject({ failures: P.addressMaxFailures, inFlight: [] });
  });

  it('an attempt without a verdict after inFlightExpiryMs counts as a failure; its late verdict adds nothing', () => {
    const address: AddressRecord = { start: T0, failures: 10, inFlight: Array(20).fill(T0) };
    expect(beginAttempt({ address }, P, T0 + P.inFlightExpiryMs - 1)).toMatchObject({ reason: 'busy' });
    const later = T0 + P.inFlightExpiryMs;
    expect(beginAttempt({ address }, P, later)).toEqual({
      allowed: false,
      reason: 'address',
      retryAfterMs: P.addressWindowMs - P.inFlightExpiryMs,
    });
    const failed = endAddressAttempt(address, { startedAt: T0, failed: true }, P, later);
    expect(failed).toMatchObject({ start: T0, failures: 30, inFlight: [] });
    expect(failed?.expired).toHaveLength(19);
  });

  it('a late correct password gives back its expired failure once, and only its own', () => {
    const address: AddressRecord = { start: T0, failures: 29, inFlight: [T0 + 5] };
    const at = T0 + 5 + P.inFlightExpiryMs;
    expect(beginAttempt({ address }, P, at)).toMatchObject({ reason: 'address' });
    const back = endAddressAttempt(address, { startedAt: T0 + 5, failed: false }, P, at);
    expect(back).toMatchObject({ failures: 29, inFlight: [], expired: [] });
    expect(beginAttempt({ address: back }, P, at)).toMatchObject({ allowed: true });
    // The same verdict again (or another attempt's with no entry) gives nothing more back.
    expect(endAddressAttempt(back, { startedAt: T0 + 5, failed: false }, P, at)).toMatchObject({
      failures: 29,
    });
    expect(endAddressAttempt(back, { startedAt: T0 + 7, failed: false }, P, at)).toMatchObject({
      failures: 29,
    });
  });

  it('a new window keeps the attempts still in flight from the last one', () => {
    const address: AddressRecord = { start: T0, failures: 30, inFlight: [T0 + P.addressWindowMs - 1000] };
    const d = beginAttempt({ address }, P, T0 + P.addressWindowMs);
    expect(d).toMatchObject({
      allowed: true,
      address: {
        start: T0 + P.addressWindowMs,
        failures: 0,
        inFlight: [T0 + P.addressWindowMs - 1000, T0 + P.addressWindowMs],
      },
    });
  });

  it('the contention refusal has its own wording in every language', () => {
    for (const locale of ['en', 'es', 'de', 'ar'] as const) {
      const busy = translator(locale).t('auth.throttle.busy', describeWait(2000));
      expect(busy).not.toBe('auth.throttle.busy');
      expect(busy).not.toBe(translator(locale).t('auth.throttle.pair', describeWait(2000)));
    }
    expect(translator('en').t('auth.throttle.busy', describeWait(2000))).toBe(
      'Many people are signing in from your network right now. Please try again in 2 seconds.',
    );
  });
});
