import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLATFORMS, type Platform } from '../../src/domain/course.js';
import { PLATFORM_NAMES, wordCard } from '../../src/domain/post-card.js';
import { translator } from '../../src/i18n/translator.js';
import { COURSE_ID } from '../factories.js';
import { createTestApp, createUser, loginAs, type TestApp } from '../helpers/app.js';

// Every platform the course may use is drawn as its own card, with the platform's name as text
// (not only a colour or a logo), in the web gallery and in the SCORM package built from the same
// partial. The shipped course has an example on every platform (content test), so both pages show all.
// The names are the one list in src/domain/post-card.ts: what is checked here is that every card,
// web and SCORM, prints it as text and in its accessible name.

// These pages are English: each name as an English page words it ("Internal chat" is a catalogue key).
const en = translator('en');
const NAMES = Object.fromEntries(
  Object.entries(PLATFORM_NAMES).map(([platform, name]) => [platform, wordCard(name, (k, v) => en.t(k, v))]),
) as Record<Platform, string>;

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ label: 'learn-post-cards' });
});
afterAll(async () => t.close());

/** The visible platform line of the first card drawn for `platform`, tags stripped. */
function platformLine(html: string, platform: Platform): string | undefined {
  const card = html.split(`<article class="post-card post-${platform}"`)[1];
  const line = card?.match(/<p class="post-platform">([\s\S]*?)<\/p>/)?.[1];
  return line?.replace(/<[^>]+>/g, '').trim();
}

describe('post cards', () => {
  it('draw every platform in the example gallery with its name as text and in the accessible name', async () => {
    const employee = await loginAs(t.app, 'employee@demo.test');
    const res = await employee.get(`/learn/${COURSE_ID}/examples`);
    expect(res.statusCode).toBe(200);
    for (const platform of PLATFORMS) {
      expect(platformLine(res.body, platform), platform).toBe(NAMES[platform]);
      expect(res.body, platform).toMatch(
        new RegExp(`<article class="post-card post-${platform}" aria-label="${NAMES[platform]} post by `),
      );
    }
  });

  it('draw every platform in the SCORM package with its name as text', async () => {
    const hr = await loginAs(t.app, 'hr@demo.test');
    const res = await hr.get(`/hr/courses/${COURSE_ID}/scorm/preview/scorm12/failed/files/index.html`);
    expect(res.statusCode).toBe(200);
    for (const platform of PLATFORMS)
      expect(platformLine(res.body, platform), platform).toBe(NAMES[platform]);
    // An ask-first post's rewrite is offered as one that needs no check, as in the web app.
    expect(res.body).toContain('<strong>A version that needs no check:</strong>');
  });

  it('draw the platform-specific parts of the new cards', async () => {
    const employee = await loginAs(t.app, 'employee@demo.test');
    const body = (await employee.get(`/learn/${COURSE_ID}/examples`)).body;
    const cardOf = (platform: Platform) =>
      body.split(`<article class="post-card post-${platform}"`)[1]?.split('</article>')[0] ?? '';
    expect(cardOf('reddit')).toMatch(/r\/[A-Za-z]+[\s\S]*u\/[a-z0-9]+/);
    expect(cardOf('glassdoor')).toMatch(/Current employee/);
    expect(cardOf('github')).toMatch(/class="post-repo"[^>]*>[^<]*\/[^<]+</);
    expect(cardOf('whatsapp')).toMatch(/class="post-bubble"/);
    expect(cardOf('slack')).toMatch(/class="post-channel"/);
    expect(cardOf('teams')).toMatch(/class="post-channel"/);
    expect(cardOf('threads')).toMatch(/<strong class="post-name">[a-z0-9]+<\/strong>/);
    expect(cardOf('bluesky')).toMatch(/@[a-z0-9]+\.bsky\.social/);
  });

  it("show an ask-first post's rewrite as a version that needs no check, on its own platform", async () => {
    const course = t.app.courses.get(COURSE_ID)!;
    const example = course.examples.find((e) => e.verdict === 'ask-first' && e.betterVersion && e.where)!;
    await createUser(t.app, { email: 'ask-first@example.com', name: 'Ask First' });
    const learner = await loginAs(t.app, 'ask-first@example.com');
    const res = await learner.post(`/learn/${COURSE_ID}/examples/${example.id}/classify`, {
      answer: 'ask-first',
    });
    expect(res.statusCode).toBe(200);
    const better = res.body.split('A version that needs no check</h3>')[1] ?? '';
    expect(better).toContain(`<article class="post-card post-${example.platform}"`);
    expect(better).toContain(example.where!);
    expect(res.body).not.toContain('A better version</h3>');
  });
});
