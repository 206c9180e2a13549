import type { Role } from './roles.js';

/**
 * What a route declares about who may use it. Every route must declare one;
 * the auth plugin refuses to start if a route does not.
 * - `public`: anyone, logged in or not.
 * - `authenticated`: any logged-in user; ownership is checked by the handler's service.
 * - a list of roles: only those roles (admin is not implied).
 */
export type Access = 'public' | 'authenticated' | readonly Role[];

export type AccessDecision = 'allow' | 'login' | 'forbidden';

export function decideAccess(access: Access, role: Role | null): AccessDecision {
  if (access === 'public') return 'allow';
  if (role === null) return 'login';
  if (access === 'authenticated') return 'allow';
  return access.includes(role) ? 'allow' : 'forbidden';
}

export const HR_ROLES: readonly Role[] = ['hr', 'admin'];
export const ADMIN_ROLES: readonly Role[] = ['admin'];
