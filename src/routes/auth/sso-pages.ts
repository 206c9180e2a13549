import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SessionUser } from '../../domain/roles.js';
import { failureMessage, failureStatus, SsoFailure } from '../../domain/sso/failure.js';
import type { MappedIdentity } from '../../domain/sso/mapping.js';

/** Where a person lands after signing in, by role (as the password sign-in). */
export function homeFor(role: string): string {
  return role === 'admin' ? '/admin' : role === 'hr' ? '/hr' : '/';
}

/** The uniform refusal page for any SSO protocol: the reason's message, never the library's. */
export function showFailure(reply: FastifyReply, err: SsoFailure) {
  // Not set up (or switched off since the page was shown): the sign-in page, which then has no button.
  if (err.reason === 'not_configured') return reply.redirect('/login', 303);
  reply.code(failureStatus(err.reason));
  const message = reply.request.i18n!.t(failureMessage(err.reason));
  return reply.viewAsync('auth/sso-failed', { message, reason: err.reason });
}

/** What a checked answer from the IdP leads to, for OIDC and SAML alike. */
export type SsoOutcome =
  | { kind: 'signed-in'; user: SessionUser; idToken?: string | null }
  | { kind: 'test'; claims: Record<string, unknown>; mapped: MappedIdentity }
  | { kind: 'linked' };

/** Sends the browser to the IdP once the flow is started, or shows why it could not start. */
export async function startSsoFlow(reply: FastifyReply, begin: () => Promise<{ url: string }>) {
  try {
    return reply.redirect((await begin()).url, 302);
  } catch (err) {
    if (err instanceof SsoFailure) return showFailure(reply, err);
    throw err;
  }
}

/**
 * Finishes any SSO protocol's callback: a linked account goes home, a test shows the claims (to an
 * admin only), a sign-in gets a fresh session id (no fixation) and CSRF secret, as the password
 * sign-in, then `next`; a refusal gets the uniform failure page.
 */
export async function finishSsoFlow(
  request: FastifyRequest,
  reply: FastifyReply,
  next: string,
  complete: () => Promise<SsoOutcome>,
) {
  try {
    const outcome = await complete();
    if (outcome.kind === 'linked') return reply.redirect(homeFor(request.user?.role ?? ''), 303);
    if (outcome.kind === 'test') {
      if (request.user?.role !== 'admin') return showFailure(reply, new SsoFailure('not_admin'));
      return reply.viewAsync('admin/sso-test', {
        claims: JSON.stringify(outcome.claims, null, 2),
        mapped: outcome.mapped,
      });
    }
    await request.session.regenerate();
    request.session.user = outcome.user;
    if (outcome.idToken) request.session.oidcIdToken = outcome.idToken;
    reply.generateCsrf();
    return reply.redirect(next === '/' ? homeFor(outcome.user.role) : next, 303);
  } catch (err) {
    if (err instanceof SsoFailure) return showFailure(reply, err);
    throw err;
  }
}
