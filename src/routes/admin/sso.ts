import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { ADMIN_ROLES } from '../../domain/access.js';
import { Invalid, InvalidAll } from '../../domain/errors.js';
import { failureMessage, failureStatus, SsoFailure } from '../../domain/sso/failure.js';
import { formatPairs } from '../../domain/sso/mapping.js';
import { formBody, Text } from '../form-schema.js';
import { requireUser } from '../guards.js';
import { fileTooLarge, multipartForm } from './multipart-form.js';

/** IdP metadata, pasted or uploaded: Entra's with several keys is ~30 KB; this is far past any. */
const METADATA_MAX = 256 * 1024;

const Checkbox = Type.Optional(Type.Literal('on'));
// Empty fields reach the service, which answers with the form and a message saying what to enter
// (a schema refusal would be a bare 400 page).
const ConnectionBody = formBody({
  providerName: Text(100),
  issuer: Text(500),
  clientId: Text(300),
  clientSecret: Text(2000),
  scopes: Text(500),
  enabled: Checkbox,
  jitCreate: Checkbox,
});
const MappingBody = formBody({
  groupsClaim: Text(100),
  departmentClaim: Text(100),
  employeeIdClaim: Text(100),
  managerClaim: Text(100),
  roleGroups: Text(5000),
  departmentGroups: Text(20000),
});
// The SAML connection: metadata (pasted, uploaded as `metadataFile`, or a URL) or the IdP typed in.
const SamlBody = formBody({
  providerName: Text(100),
  metadataXml: Text(METADATA_MAX),
  metadataFile: Type.Optional(Type.Unknown()),
  metadataUrl: Text(1000),
  entityId: Text(500),
  ssoUrl: Text(1000),
  certificates: Text(40_000),
  emailAttribute: Text(300),
  nameAttribute: Text(300),
  enabled: Checkbox,
  jitCreate: Checkbox,
});
const PasswordBody = formBody({
  passwordLogin: Type.Union([Type.Literal('on'), Type.Literal('off')]),
  breakGlass: Text(2000),
});
const PageQuery = Type.Object(
  {
    saved: Type.Optional(
      Type.Union([
        Type.Literal('connection'),
        Type.Literal('saml'),
        Type.Literal('mapping'),
        Type.Literal('password'),
      ]),
    ),
  },
  { additionalProperties: false },
);

async function showPage(
  request: FastifyRequest,
  reply: FastifyReply,
  extra: { saved?: string; error?: string; field?: string },
) {
  const settings = await request.server.services.identity.ssoSettings();
  return reply.viewAsync('admin/sso', {
    settings,
    roleGroups: formatPairs(settings.mapping.roleByGroup),
    departmentGroups: formatPairs(settings.mapping.departmentByGroup),
    callbackUrl: `${request.server.config.BASE_URL}/auth/oidc/callback`,
    spEntityId: `${request.server.config.BASE_URL}/auth/saml/metadata`,
    acsUrl: `${request.server.config.BASE_URL}/auth/saml/acs`,
    logoutUrl: `${request.server.config.BASE_URL}/login`,
    saved: extra.saved ?? null,
    error: extra.error ?? null,
    errorField: extra.field ?? null,
    csrfToken: reply.generateCsrf(),
  });
}

/** Saves one section; a rule the service refuses shows the page again with its message (400). */
async function saveThen(
  request: FastifyRequest,
  reply: FastifyReply,
  section: string,
  save: () => Promise<void>,
  field?: string,
) {
  try {
    await save();
  } catch (err) {
    if (!(err instanceof Invalid)) throw err;
    reply.code(400);
    const i18n = request.i18n!;
    const problems = err instanceof InvalidAll ? err.problems : [err];
    const error = problems
      .map((p) => (i18n.has(p.message) ? i18n.t(p.message, p.values) : p.message))
      .join(' ');
    return showPage(request, reply, { error, ...(field ? { field } : {}) });
  }
  return reply.redirect(`/admin/sso?saved=${section}`, 303);
}

/** The admin's single sign-on page: connection, claim mapping, password switch, connection test. */
const ssoAdminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const admin = { access: ADMIN_ROLES };
  // The SAML form uploads a metadata file; the pasted XML is a long text field.
  multipartForm(app, { fileField: 'metadataFile', maxFileBytes: METADATA_MAX, maxFieldBytes: METADATA_MAX });

  app.get('/admin/sso', { config: admin, schema: { querystring: PageQuery } }, async (request, reply) =>
    showPage(request, reply, { saved: request.query.saved }),
  );

  app.post('/admin/sso', { config: admin, schema: { body: ConnectionBody } }, async (request, reply) => {
    const { _csrf, enabled, jitCreate, ...fields } = request.body;
    return saveThen(request, reply, 'connection', () =>
      app.services.identity.saveSsoConnection({
        actorId: requireUser(request).id,
        form: { ...fields, enabled: enabled === 'on', jitCreate: jitCreate === 'on' },
        now: app.clock.now(),
      }),
    );
  });

  app.post('/admin/sso/saml', { config: admin, schema: { body: SamlBody } }, async (request, reply) => {
    const { _csrf, enabled, jitCreate, metadataFile, ...fields } = request.body;
    const upload = Buffer.isBuffer(metadataFile) && metadataFile.length ? metadataFile.toString('utf8') : '';
    return saveThen(request, reply, 'saml', async () => {
      if (fileTooLarge(request)) throw new Invalid('admin.sso.metadataTooLarge', { kb: METADATA_MAX / 1024 });
      await app.services.identity.saveSamlConnection({
        actorId: requireUser(request).id,
        form: {
          ...fields,
          metadataXml: upload || fields.metadataXml,
          enabled: enabled === 'on',
          jitCreate: jitCreate === 'on',
        },
        now: app.clock.now(),
      });
    });
  });

  app.post('/admin/sso/mapping', { config: admin, schema: { body: MappingBody } }, async (request, reply) => {
    const { _csrf, ...form } = request.body;
    return saveThen(request, reply, 'mapping', () =>
      app.services.identity.saveSsoMapping({ actorId: requireUser(request).id, form, now: app.clock.now() }),
    );
  });

  app.post('/admin/sso/password', { config: admin, schema: { body: PasswordBody } }, async (request, reply) =>
    saveThen(
      request,
      reply,
      'password',
      () =>
        app.services.identity.saveSsoPasswordPolicy({
          actorId: requireUser(request).id,
          passwordLogin: request.body.passwordLogin,
          breakGlass: request.body.breakGlass,
          now: app.clock.now(),
        }),
      'breakGlass',
    ),
  );

  // "Test connection": a real sign-in at the provider whose claims are shown, not signed in with.
  app.post(
    '/admin/sso/test',
    { config: { ...admin, offSiteRedirect: true }, schema: { body: formBody({}) } },
    async (request, reply) => {
      try {
        const flow = { purpose: 'test' as const, next: '/admin/sso', ip: request.ip, now: app.clock.now() };
        const { protocol } = await app.services.identity.ssoSettings();
        if (protocol === 'saml') {
          const { url, pending } = await app.services.identity.beginSamlSignIn(flow);
          request.session.saml = pending;
          return reply.redirect(url, 303);
        }
        const { url, pending } = await app.services.identity.beginOidcSignIn(flow);
        request.session.oidc = pending;
        return reply.redirect(url, 303);
      } catch (err) {
        if (!(err instanceof SsoFailure)) throw err;
        reply.code(failureStatus(err.reason));
        return showPage(request, reply, { error: request.i18n!.t(failureMessage(err.reason)) });
      }
    },
  );
};

export default ssoAdminRoutes;
