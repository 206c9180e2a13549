import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { safeRedirectPath } from '../../domain/redirect-target.js';
import { SsoFailure } from '../../domain/sso/failure.js';
import type { PendingSamlFlow } from '../../services/identity/sso/index.js';
import { formBody } from '../form-schema.js';
import { requireUser } from '../guards.js';
import { homeFor, showFailure } from './sso-pages.js';

declare module 'fastify' {
  interface Session {
    /** The AuthnRequest this browser sent to the SAML IdP (its ID is the answer's InResponseTo). */
    saml?: PendingSamlFlow;
  }
}

const StartQuery = Type.Object(
  { next: Type.Optional(Type.String({ maxLength: 500 })) },
  { additionalProperties: false },
);
// The IdP's form post (HTTP-POST binding), bounded; `resubmitted` marks the app's own same-site re-post.
const AcsBody = Type.Object(
  {
    SAMLResponse: Type.String({ minLength: 1, maxLength: 200_000, pattern: '^[A-Za-z0-9+/=\\s]+$' }),
    RelayState: Type.Optional(Type.String({ maxLength: 80 })),
    resubmitted: Type.Optional(Type.Literal('1')),
  },
  { additionalProperties: false },
);

/**
 * SAML 2.0 sign-in: `/auth/saml/metadata` describes this service provider, `/auth/saml/start`
 * sends the AuthnRequest (HTTP-Redirect), `/auth/saml/acs` receives the IdP's signed answer.
 */
const samlRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/auth/saml/metadata', { config: { access: 'public' } }, async (_request, reply) =>
    reply
      .type('application/samlmetadata+xml; charset=utf-8')
      .send(app.services.identity.samlServiceProviderMetadata()),
  );

  /** Starts a flow: the pending request goes into the session, the browser to the IdP. */
  async function toIdp(
    request: FastifyRequest,
    reply: FastifyReply,
    flow: { purpose: PendingSamlFlow['purpose']; next: string; linkUserId?: string },
  ) {
    try {
      const { url, pending } = await app.services.identity.beginSamlSignIn({
        ...flow,
        ip: request.ip,
        now: app.clock.now(),
      });
      request.session.saml = pending;
      return reply.redirect(url, 302);
    } catch (err) {
      if (err instanceof SsoFailure) return showFailure(reply, err);
      throw err;
    }
  }

  app.get(
    '/auth/saml/start',
    { config: { access: 'public', offSiteRedirect: true }, schema: { querystring: StartQuery } },
    async (request, reply) =>
      toIdp(request, reply, {
        purpose: 'signin',
        next: safeRedirectPath(request.query.next, app.config.BASE_URL),
      }),
  );

  // As /auth/oidc/link: a signed-in person (admin and HR accounts are never linked by e-mail) links
  // their account to the NameID the IdP sends for them.
  app.post(
    '/auth/saml/link',
    { config: { access: 'authenticated', offSiteRedirect: true }, schema: { body: formBody({}) } },
    async (request, reply) =>
      toIdp(request, reply, { purpose: 'link', linkUserId: requireUser(request).id, next: '/' }),
  );

  /**
   * The Assertion Consumer Service. The IdP's POST comes cross-site, so it carries no CSRF token
   * (csrf: false) and, in real browsers, not the SameSite=Lax session cookie either. It is therefore
   * answered with a page that re-posts the same fields to this URL from this site (same-site: the
   * cookie comes along); that second post is checked against the session's pending request. The
   * protection CSRF tokens give elsewhere comes here from the IdP's signature over an assertion
   * bound (InResponseTo) to the request this session sent, used once: a forged or replayed post
   * cannot sign anyone in, nor sign this browser in as someone else (login CSRF).
   */
  app.post(
    '/auth/saml/acs',
    { config: { access: 'public', csrf: false }, schema: { body: AcsBody } },
    async (request, reply) => {
      const { SAMLResponse, RelayState } = request.body;
      reply.header('cache-control', 'no-store');
      if (!request.body.resubmitted)
        return reply.viewAsync('auth/saml-post', {
          samlResponse: SAMLResponse,
          relayState: RelayState ?? '',
        });
      const pending = request.session.saml;
      // One answer per start: whatever happens next, this flow cannot be completed twice.
      request.session.saml = undefined;
      try {
        const outcome = await app.services.identity.completeSamlSignIn({
          samlResponse: SAMLResponse,
          pending,
          sessionUserId: request.user?.id ?? null,
          ip: request.ip,
          now: app.clock.now(),
        });
        if (outcome.kind === 'linked') return reply.redirect(homeFor(request.user?.role ?? ''), 303);
        if (outcome.kind === 'test') {
          if (request.user?.role !== 'admin') return showFailure(reply, new SsoFailure('not_admin'));
          return reply.viewAsync('admin/sso-test', {
            claims: JSON.stringify(outcome.claims, null, 2),
            mapped: outcome.mapped,
          });
        }
        // As the password sign-in: a fresh session id (no fixation), then a fresh CSRF secret.
        await request.session.regenerate();
        request.session.user = outcome.user;
        reply.generateCsrf();
        const next = pending?.next ?? '/';
        return reply.redirect(next === '/' ? homeFor(outcome.user.role) : next, 303);
      } catch (err) {
        if (err instanceof SsoFailure) return showFailure(reply, err);
        throw err;
      }
    },
  );
};

export default samlRoutes;
