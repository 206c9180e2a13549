import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Static, Type } from 'typebox';
import { ADMIN_ROLES } from '../../domain/access.js';
import { MAX_LOGO_BYTES } from '../../domain/logo-file.js';
import {
  CONTACT_KINDS,
  type FieldError,
  type OrgProfileForm,
  profileToForm,
  REGIONS,
} from '../../domain/org-profile.js';
import type { Translator } from '../../i18n/translator.js';
import { localisedErrors } from '../field-errors.js';
import { formBody, Text } from '../form-schema.js';
import { requireUser } from '../guards.js';
import { fileTooLarge, multipartForm } from './multipart-form.js';

const DraftId = Type.String({ pattern: '^[a-f0-9]{32}$' });
const contactFields = Object.fromEntries(
  CONTACT_KINDS.flatMap((k) => [
    [`${k}Name`, Text(300)],
    [`${k}Channel`, Text(300)],
  ]),
);
const ProfileBody = formBody({
  name: Text(300),
  shortName: Text(300),
  brandColour: Text(30),
  clientListUrl: Text(600),
  defaultLanguage: Type.Optional(Text(20)),
  ...contactFields,
  regions: Type.Optional(Type.Union([Text(20), Type.Array(Text(20), { maxItems: REGIONS.length + 1 })])),
  // The uploaded file (a Buffer from the multipart parser); anything else is ignored.
  logo: Type.Optional(Type.Unknown()),
  previousDraftId: Type.Optional(DraftId),
});
const EditQuery = Type.Object(
  { saved: Type.Optional(Type.Literal('1')), draft: Type.Optional(DraftId) },
  { additionalProperties: false },
);
const DraftParams = Type.Object({ id: DraftId }, { additionalProperties: false });
const VersionQuery = Type.Object(
  { v: Type.Optional(Type.String({ pattern: '^[a-f0-9]{1,64}$' })) },
  { additionalProperties: false },
);

/** The contact kinds and regions as the admin reads them, in their language. */
function labels(i18n: Translator) {
  return {
    contactKinds: CONTACT_KINDS,
    contactFields: Object.fromEntries(
      CONTACT_KINDS.map((k) => [k, { name: `${k}Name`, channel: `${k}Channel` }]),
    ),
    contactLabels: Object.fromEntries(CONTACT_KINDS.map((k) => [k, i18n.t(`admin.org.contact.${k}`)])),
    regions: REGIONS,
    regionLabels: Object.fromEntries(REGIONS.map((r) => [r, i18n.t(`admin.org.region.${r}`)])),
    maxLogoKb: MAX_LOGO_BYTES / 1024,
  };
}
// The app's CSP with `sandbox` added: opened on its own, the SVG is an opaque-origin document that
// may run no script at all, whatever got through the sanitiser; inline styles inside it still apply.
const LOGO_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'self'",
  'sandbox',
].join('; ');

type EditRequest = FastifyRequest<{ Querystring: Static<typeof EditQuery> }>;
type PreviewRequest = FastifyRequest<{ Body: Static<typeof ProfileBody> }>;
type DraftRequest = FastifyRequest<{ Params: Static<typeof DraftParams> }>;

async function showForm(request: EditRequest, reply: FastifyReply) {
  const app = request.server;
  const { draft } = request.query;
  const current = await app.services.organisation.currentProfile();
  const pending = draft
    ? await app.services.organisation.profileDraft({
        draftId: draft,
        actorId: requireUser(request).id,
        now: app.clock.now(),
      })
    : null;
  return reply.viewAsync('admin/organisation', {
    ...labels(request.i18n!),
    form: profileToForm(pending?.values ?? current),
    current,
    previousDraftId: pending?.logo ? pending.draftId : null,
    errors: [],
    saved: request.query.saved === '1',
  });
}

function showErrors(request: PreviewRequest, reply: FastifyReply, status: number, errors: FieldError[]) {
  const { logo: _logo, _csrf, ...form } = request.body;
  reply.code(status);
  return request.server.services.organisation.currentProfile().then((current) =>
    reply.viewAsync('admin/organisation', {
      ...labels(request.i18n!),
      form,
      current,
      previousDraftId: request.body.previousDraftId ?? null,
      errors: localisedErrors(request.i18n!, errors),
      saved: false,
    }),
  );
}

/** `POST /admin/organisation`: checks the form and the logo and shows the preview; nothing is saved. */
async function preview(request: PreviewRequest, reply: FastifyReply) {
  const app = request.server;
  if (fileTooLarge(request))
    return showErrors(request, reply, 413, [
      {
        field: 'logo',
        message: 'admin.org.errors.logoTooLarge',
        values: { kb: MAX_LOGO_BYTES / 1024 },
      },
    ]);
  const { logo, _csrf, previousDraftId, ...fields } = request.body;
  const outcome = await app.services.organisation.previewProfile({
    actorId: requireUser(request).id,
    form: fields as OrgProfileForm,
    upload: Buffer.isBuffer(logo) ? logo : null,
    ...(previousDraftId ? { previousDraftId } : {}),
    now: app.clock.now(),
  });
  if (!outcome.ok) return showErrors(request, reply, 400, outcome.errors);
  return reply.redirect(`/admin/organisation/preview/${outcome.draftId}`, 303);
}

async function showPreview(request: DraftRequest, reply: FastifyReply) {
  const app = request.server;
  const draft = await app.services.organisation.profileDraft({
    draftId: request.params.id,
    actorId: requireUser(request).id,
    now: app.clock.now(),
  });
  const logoUrl = draft.logo
    ? `/admin/organisation/preview/${draft.draftId}/logo`
    : draft.current.logo
      ? `/organisation/logo?v=${draft.current.logo.sha256.slice(0, 12)}`
      : null;
  return reply.viewAsync('admin/organisation-preview', { ...labels(request.i18n!), draft, logoUrl });
}

/** A logo file with headers that keep an SVG inert even if opened on its own. */
function sendLogo(
  reply: FastifyReply,
  logo: { contentType: string; sha256: string; data: Buffer },
  cache: string,
) {
  return reply
    .header('content-type', logo.contentType)
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', LOGO_CSP)
    .header(
      'content-disposition',
      `inline; filename="logo.${logo.contentType === 'image/png' ? 'png' : 'svg'}"`,
    )
    .header('etag', `"${logo.sha256}"`)
    .header('cache-control', cache)
    .send(logo.data);
}

const brandCss = (selector: string, colour: string) => `${selector} { background: ${colour}; }\n`;

/** The organisation profile: the admin edits it (preview, then save); every page shows its name, logo and colour. */
const organisationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  multipartForm(app, { fileField: 'logo', maxFileBytes: MAX_LOGO_BYTES });
  const admin = { access: ADMIN_ROLES };

  app.get('/admin/organisation', { config: admin, schema: { querystring: EditQuery } }, showForm);
  app.post('/admin/organisation', { config: admin, schema: { body: ProfileBody } }, preview);
  app.get('/admin/organisation/preview/:id', { config: admin, schema: { params: DraftParams } }, showPreview);
  app.post(
    '/admin/organisation/preview/:id/save',
    { config: admin, schema: { params: DraftParams, body: formBody({}) } },
    async (request, reply) => {
      await app.services.organisation.saveProfileDraft({
        draftId: request.params.id,
        actorId: requireUser(request).id,
        now: app.clock.now(),
      });
      return reply.redirect('/admin/organisation?saved=1', 303);
    },
  );
  app.get(
    '/admin/organisation/preview/:id/logo',
    { config: admin, schema: { params: DraftParams } },
    async (request, reply) => {
      const draft = { draftId: request.params.id, actorId: requireUser(request).id, now: app.clock.now() };
      return sendLogo(reply, await app.services.organisation.logoFile({ draft }), 'private, no-store');
    },
  );
  app.get(
    '/admin/organisation/preview/:id/brand.css',
    { config: admin, schema: { params: DraftParams } },
    async (request, reply) => {
      const draft = await app.services.organisation.profileDraft({
        draftId: request.params.id,
        actorId: requireUser(request).id,
        now: app.clock.now(),
      });
      return reply
        .type('text/css')
        .header('cache-control', 'private, no-store')
        .send(brandCss('.preview-brand', draft.values.brandColour));
    },
  );

  // Public: the sign-in page shows the brand too. `?v=` (the hash or colour) makes each version its own URL.
  app.get(
    '/organisation/logo',
    { config: { access: 'public' }, schema: { querystring: VersionQuery } },
    async (_request, reply) =>
      sendLogo(reply, await app.services.organisation.logoFile({}), 'public, max-age=86400'),
  );
  app.get(
    '/organisation/brand.css',
    { config: { access: 'public' }, schema: { querystring: VersionQuery } },
    async (_request, reply) => {
      const profile = await app.services.organisation.currentProfile();
      return reply
        .type('text/css')
        .header('cache-control', 'public, max-age=86400')
        .send(brandCss('.site-header', profile.brandColour));
    },
  );
};

export default organisationRoutes;
