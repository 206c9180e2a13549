import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { claimLease, jobLeases, releaseLease, renewLease } from '../../src/db/job-leases.js';
import type { Models } from '../../src/db/models/index.js';
import { createSecondApp, createTestApp, type TestApp } from '../helpers/app.js';
import { commandsDuring, monitoredUri } from '../helpers/db-commands.js';

// Job leases under racing instances (issue #30). FerretDB v1 does not make a filtered update
// atomic (two racing `updateOne({_id, holder})` can both match), so a takeover by compare-and-swap
// let two instances lead at once. Each round: a lease that expired, then claimants from two apps
// (own connections) at once, racing the dead holder's late renewal and its release. Some rounds
// start from the single `_id: <job>` document an earlier version wrote (read as generation 0).
let a: TestApp;
let b: TestApp;

beforeAll(async () => {
  // A counts its commands (the cost test); B is the second instance.
  a = await createTestApp({ label: 'lease_race', seed: false, mongoUri: monitoredUri(inject('mongoUri')) });
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
      const legacy = round % 4 === 0;
      if (legacy)
        await jobLeases(a.app.db.models).insertOne({
          _id: job,
          holder: 'dead',
          expiresAt: lapsed,
          takenAt: lapsed,
        });
      else await claimLease(a.app.db.models, { job, holder: 'dead', now: lapsed, leaseMs: 1000 });
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
      // The winner deleted the generation it superseded, the earlier version's document too.
      if (legacy) expect(await jobLeases(a.app.db.models).findOne({ _id: job })).toBeNull();
    }
    expect(doubles).toEqual([]);
  });

  it('costs a few commands per claim, renewal and release when uncontended', async () => {
    const lease = { job: 'counted', holder: 'h', leaseMs: MINUTE };
    const models = a.app.db.models;
    const count = (f: () => Promise<unknown>) => commandsDuring(a.app, f);
    const [read, write] = ['find job_leases', 'update job_leases'];
    // A first claim: read, insert, read again (the race check).
    expect(await count(() => claimLease(models, { ...lease, now: new Date() }))).toEqual([
      read,
      'insert job_leases',
      read,
    ]);
    expect(await count(() => renewLease(models, { ...lease, now: new Date() }))).toEqual([read, write, read]);
    expect(await count(() => releaseLease(models, lease))).toEqual([read, write]);
    // The next claim also deletes the released generation it supersedes.
    expect(await count(() => claimLease(models, { ...lease, now: new Date() }))).toEqual([
      read,
      'insert job_leases',
      read,
      'delete job_leases',
    ]);
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
