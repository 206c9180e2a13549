import type { FastifyRequest } from 'fastify';
import type { SessionUser } from '../../domain/roles.js';
import { HttpError } from '../../plugins/auth.js';

/** The signed-in user of an `authenticated` route (the auth hook has already sent everyone else to login). */
export function learnerOf(request: FastifyRequest): SessionUser {
  if (!request.user) throw new HttpError(401, 'Please sign in again.');
  return request.user;
}

/** True when the client asked for JSON (the progressive-enhancement script does). */
export function wantsJson(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
}
