import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Platform } from '../../src/domain/course.js';
import { DEMO_PROFILE } from '../../src/domain/demo-organisation.js';
import { checkLogo } from '../../src/services/organisation/logo.js';
import { COURSE_ID } from '../factories.js';
import { createTestApp, loginAs, type TestApp } from '../helpers/app.js';

// Issue 22: post cards that show the company (a Teams or Slack workspace, a Glassdoor company line)
// draw the organisation's own name and logo from the saved profile, escaped like any other data,
// never a company name written into the template.

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ label: 'learn-post-cards-org' });
});
afterAll(async () => t.close());

const SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10" fill="#123"/></svg>';

function cardsOf(html: string, platform: Platform): string[] {
  return html
    .split(`<article class="post-card post-${platform}"`)
    .slice(1)
    .map((card) => card.split('</article>')[0] ?? '');
}

describe('post cards and the organisation', () => {
  it("show a saved profile's name (escaped) and logo on the cards that show the company", async () => {
    const checked = checkLogo(Buffer.from(SVG, 'utf8'));
    if (!checked.ok) throw new Error(checked.message);
    const admin = await t.app.db.models.User.findOne({ email: 'admin@demo.test' }).lean();
    await t.app.services.organisation.saveProfile({
      actorId: admin!._id,
      values: { ...DEMO_PROFILE, name: 'Harrier <b>& Co', shortName: 'Harrier' },
      logo: checked.logo,
      now: t.clock.now(),
    });
    const logoSrc = `/organisation/logo?v=${checked.logo.info.sha256.slice(0, 12)}`;
    const employee = await loginAs(t.app, 'employee@demo.test');
    const res = await employee.get(`/learn/${COURSE_ID}/examples`);
    expect(res.statusCode).toBe(200);
    const companyCards = [
      ...cardsOf(res.body, 'teams'),
      ...cardsOf(res.body, 'slack'),
      ...cardsOf(res.body, 'glassdoor'),
    ];
    expect(companyCards.length).toBeGreaterThanOrEqual(3);
    for (const card of companyCards) {
      expect(card).toContain('Harrier &lt;b&gt;&amp; Co');
      expect(card).toMatch(
        new RegExp(`<img class="post-org-logo" src="${logoSrc.replace(/[?.]/g, '\\$&')}" alt=""`),
      );
    }
    expect(res.body).not.toContain('<b>& Co');
    expect(res.body).not.toMatch(/kestrel/i);
  });
});
