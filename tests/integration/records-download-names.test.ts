import { parse } from 'csv-parse/sync';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CertificateDoc } from '../../src/db/models/records.js';
import { COURSE_ID } from '../factories.js';
import { createTestApp, loginAs, type Session, type TestApp } from '../helpers/app.js';
import { completeWithCertificate, learnerByEmail } from './records-helpers.js';

/**
 * Download names come from stored data that people type (an employee id): whatever it holds, the
 * `Content-Disposition` header carries a plain ASCII `filename` and the real name in `filename*`
 * (RFC 6266 / RFC 8187), never a path, a quote or a control character.
 */

let t: TestApp;
let hr: Session;
const PEOPLE = [
  'ava.adams@demo.test',
  'ben.bauer@demo.test',
  'chloe.costa@demo.test',
  'dev.diallo@demo.test',
];

/** The two names of an `attachment` header, checked for shape on the way. */
function namesOf(res: LightMyRequestResponse): { fallback: string; real: string } {
  const header = String(res.headers['content-disposition'] ?? '');
  const m = /^attachment; filename="([^"]*)"; filename\*=UTF-8''([A-Za-z0-9!#$&+\-.^_`|~%]+)$/.exec(header);
  if (!m) throw new Error(`not a safe RFC 6266 attachment header: ${header}`);
  return { fallback: m[1]!, real: decodeURIComponent(m[2]!) };
}

function expectNoPathOrQuote(name: string) {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: no control character may reach a file name.
  expect(name).not.toMatch(/[/\\"\u0000-\u001f]/);
  expect(name).not.toContain('..');
  expect(name.startsWith('.')).toBe(false);
}

beforeAll(async () => {
  t = await createTestApp({ label: 'records-download-names' });
  hr = await loginAs(t.app, 'hr@demo.test');
  for (const email of PEOPLE) await completeWithCertificate(t.app, await learnerByEmail(t.app, email));
});
afterAll(async () => t.close());

describe('download names', () => {
  it('an employee id with a path in it never reaches the evidence file name', async () => {
    const ava = await learnerByEmail(t.app, 'ava.adams@demo.test');
    await t.app.db.models.User.updateOne({ _id: ava.id }, { $set: { employeeId: 'a/../../../etc/x' } });
    const s = await loginAs(t.app, 'ava.adams@demo.test');
    const res = await s.get(`/learn/${COURSE_ID}/evidence.json?cycle=1`);
    expect(res.statusCode).toBe(200);
    const { fallback, real } = namesOf(res);
    expect(fallback).toBe(`evidence-${COURSE_ID}-a_._._._etc_x-cycle-1.json`);
    expect(real).toBe(`evidence-${COURSE_ID}-a_._._._etc_x-cycle-1.json`);
    expectNoPathOrQuote(fallback);
    expectNoPathOrQuote(real);
  });

  it('a quote and an accent: ASCII fallback without the quote, the real name in filename*', async () => {
    const ben = await learnerByEmail(t.app, 'ben.bauer@demo.test');
    await t.app.db.models.User.updateOne({ _id: ben.id }, { $set: { employeeId: 'Zoë "Q" 7' } });
    const res = await hr.get(`/hr/people/${ben.id}/evidence/${COURSE_ID}/1.json`);
    expect(res.statusCode).toBe(200);
    const { fallback, real } = namesOf(res);
    expect(fallback).toBe(`evidence-${COURSE_ID}-Zoe_Q_7-cycle-1.json`);
    expect(real).toBe(`evidence-${COURSE_ID}-Zoë _Q_ 7-cycle-1.json`);
    expectNoPathOrQuote(fallback);
    expectNoPathOrQuote(real);
  });

  it('the certificate PDF carries both names too', async () => {
    const ava = await learnerByEmail(t.app, 'ava.adams@demo.test');
    const cert = await t.app.db.models.Certificate.findOne({ userId: ava.id }).lean<CertificateDoc>();
    expect(cert).not.toBeNull();
    const s = await loginAs(t.app, 'ava.adams@demo.test');
    const res = await s.get(`/certificates/${cert!._id}.pdf`);
    expect(res.statusCode).toBe(200);
    const { fallback, real } = namesOf(res);
    expect(fallback).toBe(`certificate-${COURSE_ID}-${cert!._id}.pdf`);
    expect(real).toBe(fallback);
  });

  it('the status CSV and the SCORM package use the same header', async () => {
    const csv = await hr.get(`/hr/reports/status.csv?course=${COURSE_ID}`);
    expect(namesOf(csv).fallback).toMatch(/^training-status-social-media-policy-\d{4}-\d{2}-\d{2}\.csv$/);
    const zip = await hr.get(`/hr/courses/${COURSE_ID}/scorm/download?format=scorm12`);
    expect(zip.statusCode).toBe(200);
    expect(namesOf(zip).fallback).toMatch(/^social-media-policy-scorm12-[0-9a-f]{8}\.zip$/);
  });
});

describe('status CSV', () => {
  it('neutralises cells starting with a full-width = + - @ (spreadsheets run them as formulas)', async () => {
    const emails = PEOPLE;
    const names = ['＝HYPERLINK("http://x")', '＋1+1', '－1+1', '＠SUM(A1)'];
    for (const [i, email] of emails.entries())
      await t.app.db.models.User.updateOne({ email }, { $set: { name: names[i] } });
    const res = await hr.get(`/hr/reports/status.csv?course=${COURSE_ID}`);
    expect(res.statusCode).toBe(200);
    const rows: string[][] = parse(res.body, { bom: true });
    for (const [i, email] of emails.entries()) {
      const row = rows.find((r) => r[2] === email);
      expect(row?.[1]).toBe(`'${names[i]}`);
    }
  });
});
