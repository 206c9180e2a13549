import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { safeRedirectPath } from '../../domain/redirect-target.js';
import type { PendingOidcFlow } from '../../services/identity/sso/index.js';
import { formBody } from '../form-schema.js';
import { requireUser } from '../guards.js';
import { finishSsoFlow, startSsoFlow } from './sso-pages.js';

declare module 'fastify' {
  interface Session {
    /** The sign-in this browser started at the provider (state, nonce, PKCE verifier). */
    oidc?: PendingOidcFlow;
    /** The ID token of an SSO sign-in, kept for the provider's logout (`id_token_hint`). */
    oidcIdToken?: string;
  }
}

const StartQuery = Type.Object(
  { next: Type.Optional(Type.String({ maxLength: 500 })) },
  { additionalProperties: false },
);
// The provider's answer: any of these, each bounded; anything else is refused with 400.
const CallbackQuery = Type.Object(
  {
    code: Type.Optional(Type.String({ maxLength: 4096 })),
    state: Type.Optional(Type.String({ maxLength: 512 })),
    iss: Type.Optional(Type.String({ maxLength: 500 })),
    session_state: Type.Optional(Type.String({ maxLength: 512 })),
    scope: Type.Optional(Type.String({ maxLength: 1000 })),
    error: Type.Optional(Type.String({ maxLength: 200 })),
    error_description: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);

/** OpenID Connect sign-in: `/auth/oidc/start` sends the browser to the provider, the callback signs in. */
const oidcRoutes: FastifyPluginAsyncTypebox = async (app) => {
  /** Starts a flow (sign-in or link): the pending state goes into the session, the browser to the provider. */
  const toProvider = (
    request: FastifyRequest,
    reply: FastifyReply,
    flow: { purpose: 'signin' | 'link'; next: string; linkUserId?: string },
  ) =>
    startSsoFlow(reply, async () => {
      const begun = await app.services.identity.beginOidcSignIn({
        ...flow,
        ip: request.ip,
        now: app.clock.now(),
      });
      request.session.oidc = begun.pending;
      return begun;
    });

  app.get(
    '/auth/oidc/start',
    { config: { access: 'public', offSiteRedirect: true }, schema: { querystring: StartQuery } },
    async (request, reply) => {
      const next = safeRedirectPath(request.query.next, app.config.BASE_URL);
      return toProvider(request, reply, { purpose: 'signin', next });
    },
  );

  // A signed-in person links their account to the provider (admin and HR accounts are never linked
  // by e-mail): the provider's sign-in page, then the callback links the subject to this session.
  app.post(
    '/auth/oidc/link',
    { config: { access: 'authenticated', offSiteRedirect: true }, schema: { body: formBody({}) } },
    async (request, reply) =>
      toProvider(request, reply, { purpose: 'link', linkUserId: requireUser(request).id, next: '/' }),
  );

  app.get(
    '/auth/oidc/callback',
    { config: { access: 'public' }, schema: { querystring: CallbackQuery } },
    async (request, reply) => {
      const pending = request.session.oidc;
      // One answer per start: whatever happens next, this flow cannot be completed twice.
      request.session.oidc = undefined;
      return finishSsoFlow(request, reply, pending?.next ?? '/', () =>
        app.services.identity.completeOidcSignIn({
          callbackUrl: new URL(request.url, app.config.BASE_URL).toString(),
          pending,
          sessionUserId: request.user?.id ?? null,
          ip: request.ip,
          now: app.clock.now(),
        }),
      );
    },
  );
};

export default oidcRoutes;
