import { describe, expect, it } from 'vitest';
import { canTake, holderId, leaseUntil, renewEveryMs, stillHeld } from '../../../src/domain/lease.js';

const at = (s: string) => new Date(`2026-12-06T10:00:${s}Z`);
const lease = { _id: 'sweep', holder: 'a', expiresAt: at('30'), takenAt: at('00') };

describe('job lease rules', () => {
  it('a free job can be taken by anyone', () => {
    expect(canTake(null, 'b', at('10'))).toBe(true);
  });

  it('a live lease is held off from others until it expires, then anyone may take it', () => {
    expect(canTake(lease, 'b', at('29'))).toBe(false);
    expect(canTake(lease, 'b', at('30'))).toBe(true);
    expect(canTake(lease, 'b', at('45'))).toBe(true);
  });

  it('its holder may take it again (a renewal) while it lives', () => {
    expect(canTake(lease, 'a', at('10'))).toBe(true);
  });

  it('expires after its length and is renewed every third of it', () => {
    expect(leaseUntil(at('00'), 60_000).toISOString()).toBe('2026-12-06T10:01:00.000Z');
    expect(renewEveryMs(60_000)).toBe(20_000);
  });

  it('a holder trusts its lease only until its last confirmed expiry', () => {
    expect(stillHeld(at('30'), at('29'))).toBe(true);
    expect(stillHeld(at('30'), at('30'))).toBe(false);
  });

  it('names its holder by host, process and a random part, so two apps in one process differ', () => {
    const a = holderId('web-1', 42);
    expect(a).toMatch(/^web-1:42:[0-9a-f]{8}$/);
    expect(holderId('web-1', 42)).not.toBe(a);
  });
});
