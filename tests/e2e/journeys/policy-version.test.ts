/**
 * Adopting the course and changing the policy, in Chromium (issue 22): the admin renames the
 * organisation and uploads a PNG logo (preview, then save); HR edits a clause and submits it; a
 * second person (the admin) approves and publishes it as "re-attest"; the sweep runs at a pinned
 * time; an employee who had completed sees what changed under the new name, attests in under a
 * minute without any lesson or quiz; HR's evidence pack for her shows version 2 and version 3 (the
 * demo's history already holds a minor version 2).
 */
import { deflateSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxMailer } from '../../../src/mail/transport.js';
import { runSweep } from '../../../src/services/jobs/sweep/index.js';
import { COURSE_ID } from '../../factories.js';
import { launchChromium } from '../../helpers/browser.js';
import { type E2EServer, startE2EServer } from '../support/app-server.js';
import { A11yAudit, follow, screenshot, signIn } from '../support/journey.js';

let server: E2EServer;
let browser: Browser;
let base: string;

beforeAll(async () => {
  [server, browser] = await Promise.all([startE2EServer('policy_version'), launchChromium()]);
  base = server.baseUrl;
  // The demo's history: Ava Adams completed the course (version 2) 20 days ago, as a learner would.
  await server.app.services.demo.seedDemoTraining({ now: server.clock.now() });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function freshPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  return context.newPage();
}

const POLICY = `/hr/courses/${COURSE_ID}/policy`;
const NEW_NAME = 'Harrier Logistics';
const NEW_WORDING =
  'Treat everyone you meet online with courtesy. Harassment, threats, doxxing and pile-ons are never acceptable, and reposting abuse to mock its target counts as joining in.';
const NOTE = 'Clause 4 now names doxxing and reposting abuse to mock someone.';

/** CRC-32 of PNG chunks (node 20 has no zlib.crc32). */
function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const out = Buffer.alloc(body.length + 8);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), body.length + 4);
  return out;
}

/** A real 16×16 PNG (a solid green square), so the header's <img> decodes it. */
function pngLogo(): Buffer {
  const size = 16;
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(size * 3, Buffer.from([0x14, 0x53, 0x2d]))]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(Array.from({ length: size }, () => row)))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** What `jobs:run --job sweep` does, at the app clock's time. */
async function sweepNow() {
  const app = server.app;
  await runSweep(
    {
      models: app.db.models,
      courses: app.courses,
      catalogue: app.catalogue,
      mailer: outboxMailer(app.db.models),
      audit: app.audit,
      baseUrl: app.config.BASE_URL,
    },
    { now: server.clock.now() },
  );
}

const mainText = async (page: Page) => ((await page.textContent('main')) ?? '').replace(/\s+/g, ' ');

describe('adopting the course and re-attesting a changed policy', () => {
  it('8. admin brands, HR edits, admin publishes as re-attest, an employee re-attests in under a minute', async () => {
    const audit = new A11yAudit('journey 8');
    const ava = await server.app.db.models.User.findOne({ email: 'ava.adams@demo.test' }).lean();
    if (!ava) throw new Error('the demo has no Ava');

    // The admin renames the organisation and uploads a PNG logo: preview first, then save.
    const admin = await freshPage();
    await signIn(admin, base, 'admin@demo.test', '/admin');
    await admin.goto(`${base}/admin/organisation`);
    await admin.fill('#name', NEW_NAME);
    await admin.setInputFiles('#logo', { name: 'logo.png', mimeType: 'image/png', buffer: pngLogo() });
    await follow(
      admin,
      'form[action="/admin/organisation"] button[type="submit"]',
      /\/admin\/organisation\/preview\//,
    );
    expect(await admin.textContent('h1')).toContain('Preview');
    await follow(admin, 'button:has-text("Save")', `${base}/admin/organisation?saved=1`);
    expect(await admin.textContent('.site-header .brand-name')).toBe(NEW_NAME);

    // HR edits clause 4, marks it re-attest, and submits the draft with a change note.
    const hr = await freshPage();
    await signIn(hr, base, 'hr@demo.test', '/hr');
    await hr.goto(`${base}${POLICY}`);
    await follow(hr, `a[href="${POLICY}/edit?clauseId=SMP-04"]`, /\/edit\?clauseId=SMP-04$/);
    await hr.fill('#text', NEW_WORDING);
    await hr.check('#kind-re-attest');
    await follow(hr, `form[action="${POLICY}/edit"] button[type="submit"]`);
    await hr.fill('#note', NOTE);
    await follow(hr, `form[action="${POLICY}/submit"] button[type="submit"]`);
    expect(await mainText(hr)).toContain(NOTE);

    // A second person, the admin, approves: version 3 is published as re-attest.
    await admin.goto(`${base}${POLICY}`);
    await admin.fill('#dueDate', '2026-04-15');
    await follow(admin, `form[action="${POLICY}/approve"] button[type="submit"]`);
    expect(await mainText(admin)).toContain('Version 3');

    // The scheduled sweep runs an hour later and opens Ava's re-attestation.
    server.clock.advanceMinutes(60);
    await sweepNow();

    // Ava, who had completed, signs in: My training offers the re-attestation.
    const page = await freshPage();
    await signIn(page, base, 'ava.adams@demo.test');
    expect(await mainText(page)).toContain('The policy changed');
    const landed = await page.evaluate(() => Date.now());
    await follow(page, `a.button[href="/learn/${COURSE_ID}"]`, `${base}/learn/${COURSE_ID}`);
    // What changed, under the new name: the new wording in full, the note, and only the form to fill.
    expect(await page.textContent('.site-header .brand-name')).toBe(NEW_NAME);
    expect(await page.textContent('h1')).toContain('What changed');
    const changed = await mainText(page);
    expect(changed).toContain(NEW_WORDING);
    expect(changed).toContain(NOTE);
    expect(await page.locator('details.clause-before summary').count()).toBe(1);
    expect(
      await page.locator(`main a[href*="/lessons/"], main a[href$="/quiz"], form[action$="/quiz"]`).count(),
    ).toBe(0);
    await audit.check(page, 'what changed');
    await screenshot(page, 'desktop-reattest-what-changed');
    const name = (await page.textContent('#typedName-hint strong')) ?? '';
    await page.fill('#typedName', name);
    await page.check('#agreed');
    await follow(
      page,
      `form[action="/learn/${COURSE_ID}/attest"] button[type="submit"]`,
      `${base}/learn/${COURSE_ID}/attest`,
    );
    const attested = await page.evaluate(() => Date.now());
    expect(await mainText(page)).toContain('re-attested version 3, replacing version 2');
    expect(attested - landed, 'landing to attested, in the browser').toBeLessThan(60_000);
    if (process.env.E2E_TIMING)
      process.stderr.write(`re-attestation, landing to attested: ${attested - landed} ms\n`);
    await audit.check(page, 'attested');

    // HR's evidence pack for Ava's re-attestation shows both versions.
    await hr.goto(`${base}/hr/employees/${ava._id}`);
    const packs = hr.locator(`a[href^="/hr/people/${ava._id}/evidence/${COURSE_ID}/"]`);
    const hrefs = await packs.evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
    const latest = hrefs.sort((a, b) => Number(a.split('/').pop()) - Number(b.split('/').pop())).at(-1)!;
    await follow(hr, `a[href="${latest}"]`, `${base}${latest}`);
    const pack = await mainText(hr);
    expect(pack).toContain('Policy version 2');
    expect(pack).toContain('re-attested version 3, replacing version 2');
    await audit.check(hr, 'evidence');
    await screenshot(hr, 'desktop-hr-evidence-two-versions');
    audit.assertClean();
  }, 240_000);
});
