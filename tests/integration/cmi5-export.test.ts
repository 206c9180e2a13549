import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command as cmi5Export } from '../../src/cli/commands/cmi5-export.js';
import { CliUsageError } from '../../src/cli/types.js';
import { unzip } from '../e2e/scorm-harness.js';
import { COURSE_ID } from '../factories.js';
import { createTestApp, loginAs, type TestApp } from '../helpers/app.js';
import { cliContext } from '../helpers/cli.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ label: 'cmi5-export' });
});
afterAll(async () => t.close());

const auId = (xml: string) => /<au\b[^>]*\bid="([^"]+)"/.exec(xml)?.[1];

describe('cmi5 export for HR', () => {
  it('gives HR and admins a cmi5 zip with cmi5.xml, and records the export in the audit log', async () => {
    for (const who of ['hr@demo.test', 'admin@demo.test']) {
      const user = await loginAs(t.app, who);
      const res = await user.get(`/hr/courses/${COURSE_ID}/cmi5/download`);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/zip');
      expect(res.headers['content-disposition']).toMatch(
        /^attachment; filename="social-media-policy-cmi5-[0-9a-f]{8}\.zip"/,
      );
      const files = await unzip(res.rawPayload);
      expect([...files.keys()].sort()).toEqual(['cmi5.xml', 'index.html', 'logo.svg', 'sco.css', 'sco.js']);
      // The IRIs are built from the app's BASE_URL.
      expect(auId(files.get('cmi5.xml')!.toString())).toBe(
        `${t.config.BASE_URL}/xapi/activities/cmi5/course/${COURSE_ID}/au/main`,
      );
    }
    const audit = await t.app.db.models.AuditEvent.find({ action: 'cmi5.export' }).lean();
    expect(audit).toHaveLength(2);
    expect(audit[0]!.details).toMatchObject({ lang: 'en' });
  });

  it('refuses a learner with 403, and unknown courses and languages', async () => {
    const employee = await loginAs(t.app, 'employee@demo.test');
    expect((await employee.get(`/hr/courses/${COURSE_ID}/cmi5/download`)).statusCode).toBe(403);
    const hr = await loginAs(t.app, 'hr@demo.test');
    expect((await hr.get('/hr/courses/no-such-course/cmi5/download')).statusCode).toBe(404);
    expect((await hr.get(`/hr/courses/${COURSE_ID}/cmi5/download?lang=fr`)).statusCode).toBe(400);
  });

  it('offers the cmi5 download on the SCORM page', async () => {
    const hr = await loginAs(t.app, 'hr@demo.test');
    const page = await hr.get(`/hr/courses/${COURSE_ID}/scorm`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`action="/hr/courses/${COURSE_ID}/cmi5/download"`);
    expect(page.body).toContain('cmi5');
  });
});

describe('cmi5:export', () => {
  it('writes the package the download gives', async () => {
    const out = path.join(await mkdtemp(path.join(tmpdir(), 'cmi5-export-')), 'au.zip');
    const { ctx, lines } = cliContext(t);
    expect(await cmi5Export.run(ctx, { positionals: [COURSE_ID], flags: { out } })).toBe(0);
    expect(lines.join('\n')).toMatch(
      /Wrote .*au\.zip: cmi5, en, moveOn CompletedAndPassed, masteryScore 0\.\d+/,
    );
    const files = await unzip(await readFile(out));
    expect(files.has('cmi5.xml')).toBe(true);
    const hr = await loginAs(t.app, 'hr@demo.test');
    const download = await hr.get(`/hr/courses/${COURSE_ID}/cmi5/download`);
    expect(Buffer.compare(await readFile(out), download.rawPayload)).toBe(0);
  });

  it('asks for the course and --out, and refuses an unknown course or language', async () => {
    const { ctx } = cliContext(t);
    await expect(cmi5Export.run(ctx, { positionals: [], flags: { out: 'x.zip' } })).rejects.toThrow(
      CliUsageError,
    );
    await expect(cmi5Export.run(ctx, { positionals: [COURSE_ID], flags: {} })).rejects.toThrow(CliUsageError);
    await expect(cmi5Export.run(ctx, { positionals: ['nope'], flags: { out: 'x.zip' } })).rejects.toThrow(
      /no course "nope"/,
    );
    await expect(
      cmi5Export.run(ctx, { positionals: [COURSE_ID], flags: { out: 'x.zip', lang: 'fr' } }),
    ).rejects.toThrow(new CliUsageError('--lang must be one of: en, es, de, ar'));
  });
});
