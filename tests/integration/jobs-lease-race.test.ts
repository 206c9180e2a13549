import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimLease, releaseLease, renewLease } from '../../src/db/job-leases.js';
import type { Models } from '../../src/db/models/index.js';
import { createSecondApp, createTestApp, type TestApp } from '../helpers/app.js';

// Job leases under racing instances (issue #30). FerretDB v1 does not make a filtered update
// atomic (two racing `updateOne({_id, holder})` can both match), so a takeover by compare-and-swap
// let two instances lead at once. Each round: a lease that expired, then claimants from two apps
// (own connections) at once, racing the dead holder's late renewal and its release.
let a: TestApp;
let b: TestApp;

beforeAll(async () => {
  a = await createTestApp({ label: 'lease_race' });
  b = await createSecondApp(a);
});

afterAll(async () => {
  await b?.close();
  await a?.close();
});

const ROUNDS = 40;
const MINUTE = 60_000;

describe('job lease claims racing on FerretDB', () => {
  it('gives an expired lease to exactly one of four racing claimants, every round', async () => {
    const doubles: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const job = `race-${round}`;
      const lapsed = new Date(Date.now() - 10_000);
      await claimLease(a.app.db.models, { job, holder: 'dead', now: lapsed, leaseMs: 1000 });
      const now = new Date();
      const claimants = ['a1', 'b1', 'a2', 'b2'];
      const claims = await Promise.all(
        claimants.map((holder, i) =>
          claimLease(models(i), { job, holder, now, leaseMs: MINUTE }).then((c) => ({ holder, ...c })),
        ),
      );
      const winners = claims.filter((c) => c.taken).map((c) => c.holder);
      if (winners.length !== 1) doubles.push(`${job}: ${winners.join(', ') || 'none'}`);
      // The losers name the one holder that won.
      for (const c of claims) if (!c.taken) expect(c.lease.holder).toBe(winners[0]);
    }
    expect(doubles).toEqual([]);
    // What a lease costs uncontended: a claim (read, insert, read, delete the superseded), a
    // renewal (read, write, read) and a release (read, write), for the README.
    const ms = { claim: 0, renew: 0, release: 0 };
    const timed = async (k: keyof typeof ms, f: () => Promise<unknown>) => {
      const t0 = performance.now();
      await f();
      ms[k] += (performance.now() - t0) / ROUNDS;
    };
    for (let i = 0; i < ROUNDS; i++) {
      const lease = { job: 'timed', holder: 'h', leaseMs: MINUTE };
      await timed('claim', () => claimLease(a.app.db.models, { ...lease, now: new Date() }));
      await timed('renew', () => renewLease(a.app.db.models, { ...lease, now: new Date() }));
      await timed('release', () => releaseLease(a.app.db.models, lease));
    }
    console.log(
      `[lease] mean ms: claim ${ms.claim.toFixed(1)}, renew ${ms.renew.toFixed(1)}, release ${ms.release.toFixed(1)}`,
    );
  });

  it('lets neither an old holder renew nor release the lease once another instance took it over', async () => {
    const raced: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const job = `takeover-${round}`;
      const lapsed = new Date(Date.now() - 10_000);
      await claimLease(a.app.db.models, { job, holder: 'old', now: lapsed, leaseMs: 1000 });
      const now = new Date();
      // The old holder's late renewal races the takeovers: at most one of them may lead.
      const [renewed, ...claims] = await Promise.all([
        renewLease(b.app.db.models, { job, holder: 'old', now, leaseMs: MINUTE }),
        ...['a1', 'b1', 'a2'].map((holder, i) =>
          claimLease(models(i), { job, holder, now, leaseMs: MINUTE }).then((c) => ({ holder, ...c })),
        ),
      ]);
      const winners = claims.filter((c) => c.taken).map((c) => c.holder);
      if (winners.length + (renewed ? 1 : 0) > 1)
        raced.push(`${job}: ${[...winners, renewed ? 'old (renewed)' : ''].filter(Boolean).join(', ')}`);
      const leader = winners[0] ?? (renewed ? 'old' : null);
      if (leader !== 'old') {
        // Sequentially too: the old holder's renewal fails and its release leaves the new lease.
        expect(
          await renewLease(b.app.db.models, { job, holder: 'old', now: new Date(), leaseMs: MINUTE }),
        ).toBe(false);
        await releaseLease(b.app.db.models, { job, holder: 'old' });
      }
      // The lease is the leader's; if both yielded to each other, the job is free for the next tick.
      const late = await claimLease(a.app.db.models, {
        job,
        holder: 'late',
        now: new Date(),
        leaseMs: MINUTE,
      });
      expect(late).toMatchObject(leader ? { taken: false, lease: { holder: leader } } : { taken: true });
    }
    expect(raced).toEqual([]);
  });
});

/** Claimants alternate between the two apps' connections. */
function models(i: number): Models {
  return (i % 2 === 0 ? a : b).app.db.models;
}
