import { describe, expect, it } from 'vitest';
import {
  canTake,
  checkClaim,
  heldBy,
  holderId,
  type Lease,
  leaseKey,
  leaseUntil,
  planClaim,
  renewEveryMs,
  stillHeld,
} from '../../../src/domain/lease.js';

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

/** Generation `gen` of the sweep's lease, held by `holder` until `until` (seconds past 10:00). */
const gen = (g: number, holder: string, until: string, released = false): Lease => ({
  _id: leaseKey('sweep', g),
  job: 'sweep',
  gen: g,
  holder,
  expiresAt: at(until),
  takenAt: at('00'),
  ...(released ? { releasedAt: at('05') } : {}),
});

describe('lease generations (a claim is a unique insert of the next one)', () => {
  it('claims generation 1 of a job never leased, and the next one after a released or expired one', () => {
    expect(leaseKey('sweep', 3)).toBe('sweep:3');
    expect(planClaim([], 'b', at('10'))).toEqual({ claim: true, gen: 1 });
    expect(planClaim([gen(4, 'a', '30', true)], 'b', at('10'))).toEqual({ claim: true, gen: 5 });
    expect(planClaim([gen(4, 'a', '30')], 'b', at('30'))).toEqual({ claim: true, gen: 5 });
  });

  it("is refused while another holder's generation lives, naming it", () => {
    expect(planClaim([gen(4, 'a', '30')], 'b', at('29'))).toEqual({ claim: false, lease: gen(4, 'a', '30') });
    // Its own live generation does not hold it off.
    expect(planClaim([gen(4, 'a', '30')], 'a', at('29'))).toEqual({ claim: true, gen: 5 });
  });

  it('reads the single lease document of the previous version as generation 0', () => {
    const legacy: Lease = { _id: 'sweep', holder: 'old', expiresAt: at('30'), takenAt: at('00') };
    expect(planClaim([legacy], 'b', at('10'))).toEqual({ claim: false, lease: legacy });
    expect(planClaim([legacy], 'b', at('31'))).toEqual({ claim: true, gen: 1 });
  });

  it("after the insert: won only if it is the newest generation and no other holder's lives", () => {
    const mine = gen(5, 'b', '50');
    // The one it replaced lapsed: won, and the older generations go.
    expect(checkClaim([gen(4, 'a', '30'), gen(3, 'c', '20', true), mine], mine, at('30'))).toEqual({
      won: true,
      superseded: ['sweep:4', 'sweep:3'],
    });
    // The old holder renewed between the read and the insert: it keeps the lease.
    const renewed = gen(4, 'a', '55');
    expect(checkClaim([renewed, mine], mine, at('30'))).toEqual({ won: false, lease: renewed });
    // A newer generation exists (this claim read a state long gone): lost to it.
    const newer = gen(6, 'c', '59');
    expect(checkClaim([mine, newer], mine, at('30'))).toEqual({ won: false, lease: newer });
  });

  it('a holder still holds only its own newest generation, while none is newer', () => {
    expect(heldBy([gen(4, 'a', '30'), gen(5, 'b', '50')], 'b')?._id).toBe('sweep:5');
    expect(heldBy([gen(4, 'a', '30'), gen(5, 'b', '50')], 'a')).toBeNull();
    expect(heldBy([gen(4, 'a', '30', true)], 'a')).toBeNull(); // released
    expect(heldBy([], 'a')).toBeNull();
  });
});
