import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, loginAs, type Session, type TestApp } from '../helpers/app.js';

let t: TestApp;
let admin: Session;
beforeAll(async () => {
  t = await createTestApp({ label: 'org-profile' });
  admin = await loginAs(t.app, 'admin@demo.test');
});
afterAll(async () => t.close());

const FORM = {
  name: 'Harrier Logistics',
  shortName: 'Harrier',
  brandColour: '#14532d',
  commsName: 'Press office',
  commsChannel: 'press@harrier.example',
  hrName: 'People team',
  hrChannel: '#people',
  securityName: 'Security desk',
  securityChannel: 'https://security.harrier.example/report',
  privacyName: 'DPO',
  privacyChannel: 'dpo@harrier.example',
  whistleblowingName: 'Speak up',
  whistleblowingChannel: 'https://speakup.harrier.example',
  clientListUrl: 'https://intranet.harrier.example/clients',
  regions: ['uk', 'eu'],
};
const SVG = (inner = '<rect width="10" height="10" fill="#fff"/>') =>
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">${inner}</svg>`;

type Fields = Record<string, string | string[]>;
/** A multipart/form-data body as a browser sends it, with the CSRF token from the form page. */
async function multipart(
  session: Session,
  fields: Fields,
  file?: { name?: string; data: Buffer; type: string },
) {
  const boundary = '----orgprofile7a1b';
  const parts: Buffer[] = [];
  const csrf = await session.csrf('/admin/organisation');
  for (const [k, v] of Object.entries({ _csrf: csrf, ...fields }))
    for (const item of [v].flat())
      parts.push(
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${item}\r\n`),
      );
  if (file)
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${file.name ?? 'logo'}"; filename="logo"\r\nContent-Type: ${file.type}\r\n\r\n`,
      ),
      file.data,
      Buffer.from('\r\n'),
    );
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return session.request({
    method: 'POST',
    url: '/admin/organisation',
    payload: Buffer.concat(parts),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
}

const profile = () => t.app.db.models.OrgProfile.findOne({ _id: 'org-profile' }).lean();
const auditCount = () => t.app.db.models.AuditEvent.countDocuments({ action: 'org.profile.changed' });

describe('organisation profile', () => {
  it('starts as Kestrel Works from the demo seed, shown in the header with its logo and colour', async () => {
    const saved = await profile();
    expect(saved?.name).toBe('Kestrel Works');
    expect(saved?.contacts.comms.channel).toBe('comms@kestrelworks.example');
    const home = await admin.get('/admin');
    expect(home.body).toContain('<span class="brand-name">Kestrel Works</span>');
    expect(home.body).toMatch(/src="\/organisation\/logo\?v=[a-f0-9]{12}"/);
    expect(home.body).toContain('href="/organisation/brand.css?v=1d4e5f"');
    const css = await admin.get('/organisation/brand.css?v=1d4e5f');
    expect(css.headers['content-type']).toMatch(/^text\/css/);
    expect(css.body).toContain('.site-header { background: #1d4e5f; }');
  });

  it('previews without saving, then Save writes exactly that, audited, and the header shows it', async () => {
    const audits = await auditCount();
    const res = await multipart(admin, FORM, { data: Buffer.from(SVG()), type: 'image/svg+xml' });
    expect(res.statusCode).toBe(303);
    const previewUrl = res.headers.location as string;
    expect(previewUrl).toMatch(/^\/admin\/organisation\/preview\/[a-f0-9]{32}$/);
    expect((await profile())?.name).toBe('Kestrel Works');
    const page = await admin.get(previewUrl);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Harrier Logistics');
    expect(page.body).toContain(`${previewUrl}/logo`);
    expect(page.body).toContain('Back to edit');
    const pendingLogo = await admin.get(`${previewUrl}/logo`);
    expect(pendingLogo.headers['content-type']).toBe('image/svg+xml');
    expect(pendingLogo.body).toBe(SVG());
    // Back to edit keeps the typed values and the pending logo.
    const back = await admin.get(`/admin/organisation?draft=${previewUrl.split('/').pop()}`);
    expect(back.body).toContain('value="Harrier Logistics"');
    expect(back.body).toContain('name="previousDraftId"');

    const save = await admin.post(`${previewUrl}/save`, {}, previewUrl);
    expect(save.statusCode).toBe(303);
    const saved = await profile();
    expect(saved?.name).toBe('Harrier Logistics');
    expect(saved?.regions).toEqual(['uk', 'eu']);
    expect(await auditCount()).toBe(audits + 1);
    const event = await t.app.db.models.AuditEvent.findOne({ action: 'org.profile.changed' })
      .sort({ _id: -1 })
      .lean();
    const changes = event?.details.changes as Record<string, { from: unknown; to: unknown }>;
    expect(changes.name).toEqual({ from: 'Kestrel Works', to: 'Harrier Logistics' });
    expect(changes.logoSha256?.to).toBe(saved?.logo?.sha256);
    expect(JSON.stringify(event?.details)).not.toContain('<svg');
    const home = await admin.get('/admin');
    expect(home.body).toContain('<span class="brand-name">Harrier Logistics</span>');
    // The preview is used up.
    expect((await admin.get(previewUrl)).statusCode).toBe(404);
  });

  it('serves the saved logo, sanitised, as SVG with nosniff and a CSP that forbids scripts', async () => {
    const res = await admin.get('/organisation/logo');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/svg+xml');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toMatch(/; sandbox$/);
    expect(res.body).toBe(SVG());
  });

  it('refuses a logo with a script (400, message next to the field, nothing saved or drafted)', async () => {
    const before = await profile();
    const drafts = await t.app.db.models.OrgProfileDraft.countDocuments();
    const res = await multipart(
      admin,
      { ...FORM, name: 'Evil Corp' },
      {
        data: Buffer.from(SVG('<script>alert(1)</script>')),
        type: 'image/svg+xml',
      },
    );
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('id="logo-error"');
    expect(res.body).toMatch(/contains a script/);
    expect(res.body).toContain('value="Evil Corp"');
    expect(await profile()).toEqual(before);
    expect(await t.app.db.models.OrgProfileDraft.countDocuments()).toBe(drafts);
  });

  it('refuses a brand colour white text cannot be read on', async () => {
    const res = await multipart(admin, { ...FORM, brandColour: '#ffcc00' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('id="brandColour-error"');
    expect(res.body).toContain('4.5:1');
  });

  it('refuses a logo over 200 KB with a 413 and a clear message', async () => {
    const big = Buffer.concat([
      Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'),
      Buffer.alloc(201 * 1024),
    ]);
    const res = await multipart(admin, FORM, { data: big, type: 'image/png' });
    expect(res.statusCode).toBe(413);
    expect(res.body).toContain('id="logo-error"');
    expect(res.body).toContain('larger than 200 KB');
  });

  it('refuses operator injection and unknown fields with a 400', async () => {
    const before = await profile();
    for (const extra of [{ 'name[$gt]': '' }, { 'regions[$ne]': 'x' }] as Fields[]) {
      const res = await multipart(admin, { ...FORM, ...extra });
      expect(res.statusCode).toBe(400);
    }
    const urlencoded = await admin.post(
      '/admin/organisation',
      { ...FORM, 'name[$gt]': '' },
      '/admin/organisation',
    );
    expect(urlencoded.statusCode).toBe(400);
    expect(await profile()).toEqual(before);
  });

  it('needs a CSRF token', async () => {
    const res = await admin.post('/admin/organisation', { ...FORM, _csrf: null });
    expect(res.statusCode).toBe(403);
    const forged = await multipart(
      admin,
      { ...FORM, _csrf: 'forged' },
      { data: Buffer.from(SVG()), type: 'image/svg+xml' },
    );
    expect(forged.statusCode).toBe(403);
  });

  it('is for admins only: HR and employees get 403', async () => {
    for (const email of ['hr@demo.test', 'employee@demo.test']) {
      const s = await loginAs(t.app, email);
      expect((await s.get('/admin/organisation')).statusCode).toBe(403);
      const res = await s.post('/admin/organisation', FORM);
      expect(res.statusCode).toBe(403);
    }
    expect(await profile()).toMatchObject({ name: 'Harrier Logistics' });
  });

  it('keeps the pending logo when the admin goes back to edit and previews again without a file', async () => {
    const first = await multipart(admin, FORM, {
      data: Buffer.from(SVG('<circle r="3"/>')),
      type: 'image/svg+xml',
    });
    const firstId = (first.headers.location as string).split('/').pop() as string;
    const again = await multipart(admin, { ...FORM, shortName: 'HL', previousDraftId: firstId });
    const url = again.headers.location as string;
    expect((await admin.get(`${url}/logo`)).body).toBe(SVG('<circle r="3"/>'));
    await admin.post(`${url}/save`, {}, url);
    expect((await admin.get('/organisation/logo')).body).toBe(SVG('<circle r="3"/>'));
    expect((await profile())?.shortName).toBe('HL');
  });

  it("keeps one admin's preview from another admin and expires it after an hour", async () => {
    const res = await multipart(admin, FORM);
    const url = res.headers.location as string;
    t.clock.advance(61 * 60 * 1000);
    expect((await admin.get(url)).statusCode).toBe(404);
    expect((await admin.post(`${url}/save`, {}, '/admin/organisation')).statusCode).toBe(404);
  });
});
