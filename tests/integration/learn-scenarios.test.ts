/** The branching scenarios of lessons 3 and 7 on the web lesson page (no JavaScript needed) and in the SCO. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildScoFiles } from '../../src/scorm/index.js';
import { COURSE_ID } from '../factories.js';
import { createTestApp, loginAs, type Session, type TestApp } from '../helpers/app.js';
import { course } from './records-helpers.js';

let t: TestApp;
let s: Session;

beforeAll(async () => {
  t = await createTestApp({ label: 'learn-scenarios' });
  s = await loginAs(t.app, 'employee@demo.test');
});
afterAll(async () => t.close());

const SCENARIOS = [
  { lesson: 'confidential-information', id: 'conference-slide' },
  { lesson: 'monitoring-and-privacy', id: 'outage-day' },
];

describe('lesson scenarios', () => {
  it.each(SCENARIOS)(
    '$lesson shows the $id scenario as steps of choices, each linking to a step on the page',
    async ({ lesson, id }) => {
      const res = await s.get(`/learn/${COURSE_ID}/lessons/${lesson}`);
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('<link rel="stylesheet" href="/static/css/scenario.css">');
      expect(res.body).toContain(`<section class="scenario" aria-labelledby="sc-${lesson}-${id}-title">`);
      expect(res.body.match(/<section class="scenario-step"/g)?.length).toBeGreaterThanOrEqual(3);
      expect(res.body.match(/<details class="scenario-choice">/g)?.length).toBeGreaterThanOrEqual(8);
      const links = [...res.body.matchAll(/href="#(sc-[^"]+)"/g)].map((m) => m[1]!);
      expect(links.length).toBeGreaterThan(0);
      for (const target of links) expect(res.body).toContain(`id="${target}"`);
      expect(res.body).not.toContain('```');
    },
  );

  it('puts the same scenario HTML in the SCORM package', async () => {
    const files = await buildScoFiles(course(t.app), { format: 'scorm2004', failStatus: 'failed' });
    const page = files.get('index.html')!.toString();
    for (const { lesson, id } of SCENARIOS) expect(page).toContain(`id="sc-${lesson}-${id}-title"`);
    expect(files.get('sco.css')!.toString()).toContain('.scenario-choice');
  });
});
