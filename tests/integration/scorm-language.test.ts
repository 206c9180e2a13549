import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unzip } from '../e2e/scorm-harness.js';
import { COURSE_ID } from '../factories.js';
import { createTestApp, loginAs, type TestApp } from '../helpers/app.js';

/**
 * HR packages the course in a language whose translation is complete and current (issue #26): the
 * shipped course has es and de complete, ar partial (lessons only), so ar is neither offered nor built.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ label: 'scorm-language' });
});
afterAll(async () => t.close());

const download = (lang: string) =>
  `/hr/courses/${COURSE_ID}/scorm/download?format=scorm2004&failStatus=failed&lang=${lang}`;

describe('SCORM export in a language', () => {
  it('offers the source language and the complete, current translations, not the partial Arabic one', async () => {
    const hr = await loginAs(t.app, 'hr@demo.test');
    const page = await hr.get(`/hr/courses/${COURSE_ID}/scorm`);
    expect(page.statusCode).toBe(200);
    const options = [...page.body.matchAll(/name="lang"[^>]*value="([a-z]+)"/g)].map((m) => m[1]);
    expect(new Set(options)).toEqual(new Set(['en', 'es', 'de']));
    expect(page.body).toContain('Español');
    expect(page.body).toContain('Deutsch');
  });

  it('builds the Spanish package: SCO page and runtime messages in Spanish, cached apart from English', async () => {
    const hr = await loginAs(t.app, 'hr@demo.test');
    const es = await hr.get(download('es'));
    expect(es.statusCode).toBe(200);
    const files = await unzip(es.rawPayload);
    expect(files.get('index.html')!.toString()).toContain('<html lang="es" dir="ltr">');
    const script = files.get('sco.js')!.toString();
    expect(script).toContain('Pregunta {pos} de {total}');
    expect(script).toContain('Has aprobado con un {score}');
    expect(script).not.toContain('Question {pos} of {total}');
    expect(script).not.toContain('You passed with');
    expect(files.get('imsmanifest.xml')!.toString()).toMatch(/<(\w+:)?language>es<\/(\w+:)?language>/);

    const en = await unzip((await hr.get(download('en'))).rawPayload);
    expect(en.get('sco.js')!.toString()).toContain('Question {pos} of {total}');
    expect(en.get('index.html')!.toString()).toContain('<html lang="en"');
  });

  it('the Spanish package’s lessons carry their scenario and notice words in Spanish', async () => {
    const hr = await loginAs(t.app, 'hr@demo.test');
    const files = await unzip((await hr.get(download('es'))).rawPayload);
    const page = files.get('index.html')!.toString();
    for (const english of ['Step 1', 'Good choice', 'Poor choice', 'For staff in', 'Go to Step']) {
      expect(page, english).not.toContain(english);
    }
    expect(page).toContain('Paso 1');
  });

  it('refuses a language whose translation is partial with a clear 400 message', async () => {
    const hr = await loginAs(t.app, 'hr@demo.test');
    const res = await hr.get(download('ar'));
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toContain('only some lessons');
    expect((await hr.get(download('fr'))).statusCode).toBe(400);
  });
});
