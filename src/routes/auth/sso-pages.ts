import type { FastifyReply } from 'fastify';
import { failureMessage, failureStatus, type SsoFailure } from '../../domain/sso/failure.js';

/** Where a person lands after signing in, by role (as the password sign-in). */
export function homeFor(role: string): string {
  return role === 'admin' ? '/admin' : role === 'hr' ? '/hr' : '/';
}

/** The uniform refusal page for any SSO protocol: the reason's message, never the library's. */
export function showFailure(reply: FastifyReply, err: SsoFailure) {
  // Not set up (or switched off since the page was shown): the sign-in page, which then has no button.
  if (err.reason === 'not_configured') return reply.redirect('/login', 303);
  reply.code(failureStatus(err.reason));
  return reply.viewAsync('auth/sso-failed', { message: failureMessage(err.reason), reason: err.reason });
}
