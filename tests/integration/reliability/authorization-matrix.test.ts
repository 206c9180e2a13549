import { afterAll, describe, expect, it } from 'vitest';
import { ACTOR_NAMES, type Actor, signIn, signInActors, stillSignedIn } from '../../helpers/actors.js';
import { createTestApp } from '../../helpers/app.js';
import {
  expectedOutcome,
  missingSamples,
  sampleContext,
  sampleFor,
  sampleUrl,
  satisfies,
} from '../../helpers/route-params.js';
import { isStateChanging, printReport, sendForm, tableRoutes } from './support.js';

// Built at collection time so that one test is generated per route of the live route table.
const t = await createTestApp({ label: 'authz-matrix' });
const actors = await signInActors(t.app);
const ctx = sampleContext(t.app);
// GET first; then state-changing routes on per-person samples (before any actor has started their own
// attempt through another route); logout-like routes without samples last.
const routes = tableRoutes(t.app).sort((a, b) => rank(a) - rank(b));
function rank(r: { method: string; url: string }): number {
  if (!isStateChanging(r.method)) return 0;
  return sampleFor(r.method, r.url)?.owner ? 1 : 2;
}
let checked = 0;
const perRoute: string[] = [];

afterAll(async () => {
  printReport('authorization matrix', [
    `${routes.length} routes × ${ACTOR_NAMES.length} actors = ${checked} checks (${ACTOR_NAMES.join(', ')})`,
    ...perRoute,
  ]);
  await t.close();
});

describe('authorization matrix', () => {
  it('has a sample entry (params and ownership) for every route in the table', () => {
    expect(missingSamples(routes), 'add these routes to tests/helpers/route-params.ts ROUTE_SAMPLES').toEqual(
      [],
    );
  });

  it.each(routes.map((r) => [`${r.method} ${r.url}`, r] as const))('%s', async (_name, route) => {
    const sample = sampleFor(route.method, route.url);
    expect(sample, `no ROUTE_SAMPLES entry for ${route.method} ${route.url}`).toBeDefined();
    if (!sample) return;
    const url = await sampleUrl(ctx, route.method, route.url);
    const changing = isStateChanging(route.method);
    // The owner goes last, so a state-changing sample body cannot spoil the other actors' checks.
    const order = [...ACTOR_NAMES].sort((a, b) => Number(a === sample.owner) - Number(b === sample.owner));
    const mismatches: string[] = [];
    const outcomes: string[] = [];
    for (const name of order) {
      const actor: Actor = actors[name];
      const expected = expectedOutcome(route.access, sample, actor);
      const res = changing
        ? await sendForm(
            actor.session,
            route.method,
            url,
            sample.body ? await sample.body(ctx, actor) : {},
            actor.name === 'anonymous' ? '/login' : '/',
          )
        : await actor.session.get(url, { accept: 'text/html' });
      checked += 1;
      outcomes.push(`${name}=${res.statusCode}`);
      if (!satisfies(expected, res, changing && !sample.body)) {
        mismatches.push(
          `${name}: expected ${expected}, got ${res.statusCode}${res.headers.location ? ` → ${res.headers.location}` : ''}`,
        );
      }
      // A state-changing route may have ended the session (logout): sign the actor in again.
      if (changing && actor.email && !(await stillSignedIn(actor.session))) {
        actor.session = await signIn(t.app, actor.email);
      }
    }
    perRoute.push(`${route.method} ${url} [${JSON.stringify(route.access)}]: ${outcomes.join(' ')}`);
    expect(mismatches, `${route.method} ${url} (access ${JSON.stringify(route.access)})`).toEqual([]);
  });
});
