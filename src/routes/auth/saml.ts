import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { safeRedirectPath } from '../../domain/redirect-target.js';
import { answersPendingFlow, type PendingSamlFlow } from '../../services/identity/sso/index.js';
import { formBody } from '../form-schema.js';
import { requireUser } from '../guards.js';
import { finishSsoFlow, startSsoFlow } from './sso-pages.js';

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
  const toIdp = (
    request: FastifyRequest,
    reply: FastifyReply,
    flow: { purpose: PendingSamlFlow['purpose']; next: string; linkUserId?: string },
  ) =>
    startSsoFlow(reply, async () => {
      const begun = await app.services.identity.beginSamlSignIn({
        ...flow,
        ip: request.ip,
        now: app.clock.now(),
      });
      request.session.saml = begun.pending;
      return begun;
    });

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
      // One answer per start: a response claiming to answer this flow ends it, whatever the check
      // says. Anything else (junk, another flow's answer) leaves it: another site can make this
      // browser post here, and must not cancel the sign-in it is in the middle of.
      if (answersPendingFlow(SAMLResponse, pending)) request.session.saml = undefined;
      return finishSsoFlow(request, reply, pending?.next ?? '/', () =>
        app.services.identity.completeSamlSignIn({
          samlResponse: SAMLResponse,
          pending,
          sessionUserId: request.user?.id ?? null,
          ip: request.ip,
          now: app.clock.now(),
        }),
      );
    },
  );
};

export default samlRoutes;
