import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unzip } from '../e2e/scorm-harness.js';
import { COURSE_ID } from '../factories.js';
import { createTestApp, loginAs, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ label: 'scorm' });
});
afterAll(async () => t.close());

describe('SCORM export for HR', () => {
  it('gives HR a zip with a good filename, and records the export in the audit log', async () => {
    const hr = await loginAs(t.app, 'hr@demo.test');
    const res = await hr.get(
      `/hr/courses/${COURSE_ID}/scorm/download?format=scorm2004&failStatus=incomplete`,
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="social-media-policy-scorm2004-failincomplete-[0-9a-f]{8}\.zip"; filename\*=UTF-8''social-media-policy-scorm2004-failincomplete-[0-9a-f]{8}\.zip$/,
    );
    const files = await unzip(res.rawPayload);
    const names = [...files.keys()];
    // The demo profile's logo is packaged beside the page (seed:demo saves one).
    expect(names.filter((f) => !f.endsWith('.xsd')).sort()).toEqual([
      'imsmanifest.xml',
      'index.html',
      'logo.svg',
      'sco.css',
      'sco.js',
    ]);
    expect(files.get('index.html')!.toString()).toContain('<img class="brand-logo" src="logo.svg"');
    // The schema control files the manifest names sit beside it (src/scorm/xsd).
    expect(names).toEqual(expect.arrayContaining(['imscp_v1p1.xsd', 'adlcp_v1p3.xsd', 'imsss_v1p0.xsd']));
    expect(files.get('imsmanifest.xml')!.toString()).toContain('2004 4th Edition');
    const audit = await t.app.db.models.AuditEvent.find({ action: 'scorm.export' }).lean();
    expect(audit).toHaveLength(1);
  });

  it('refuses employees with 403 and rejects unknown formats and courses', async () => {
    const employee = await loginAs(t.app, 'employee@demo.test');
    expect((await employee.get(`/hr/courses/${COURSE_ID}/scorm/download?format=scorm12`)).statusCode).toBe(
      403,
    );
    expect((await employee.get(`/hr/courses/${COURSE_ID}/scorm`)).statusCode).toBe(403);
    const hr = await loginAs(t.app, 'hr@demo.test');
    expect((await hr.get(`/hr/courses/${COURSE_ID}/scorm/download?format=scorm3`)).statusCode).toBe(400);
    expect((await hr.get('/hr/courses/no-such-course/scorm/download?format=scorm12')).statusCode).toBe(404);
  });

  it('shows the export page with download buttons per format and the fail-status option', async () => {
    const hr = await loginAs(t.app, 'hr@demo.test');
    const page = await hr.get(`/hr/courses/${COURSE_ID}/scorm`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('name="format" value="scorm12"');
    expect(page.body).toContain('name="format" value="scorm2004"');
    expect(page.body).toContain(
      'id="download-fail-incomplete" name="failStatus" type="radio" value="incomplete"',
    );
  });

  it('serves the preview player, the package files from memory and scorm-again, same origin', async () => {
    const hr = await loginAs(t.app, 'hr@demo.test');
    const page = await hr.get(`/hr/courses/${COURSE_ID}/scorm/preview?format=scorm12&failStatus=failed`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(
      `data-launch="/hr/courses/${COURSE_ID}/scorm/preview/scorm12/failed/files/index.html"`,
    );
    expect(page.body).toContain('src="/hr/scorm/player/scorm12.min.js"');
    const index = await hr.get(`/hr/courses/${COURSE_ID}/scorm/preview/scorm12/failed/files/index.html`);
    expect(index.statusCode).toBe(200);
    expect(index.headers['content-type']).toMatch(/text\/html/);
    const js = await hr.get(`/hr/courses/${COURSE_ID}/scorm/preview/scorm12/failed/files/sco.js`);
    expect(js.headers['content-type']).toMatch(/javascript/);
    expect(
      (await hr.get(`/hr/courses/${COURSE_ID}/scorm/preview/scorm12/failed/files/secret.txt`)).statusCode,
    ).toBe(404);
    const player = await hr.get('/hr/scorm/player/scorm12.min.js');
    expect(player.statusCode).toBe(200);
    expect(player.body).toContain('Scorm12API');
  });
});
