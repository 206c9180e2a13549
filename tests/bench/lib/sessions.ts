import { randomBytes } from 'node:crypto';
import { Signer } from '@fastify/cookie';
import type { Models } from '../../../src/db/models/index.js';
import { createSessionStore } from '../../../src/db/session-store.js';
import type { SessionUser } from '../../../src/domain/roles.js';
import { SESSION_COOKIE } from '../../../src/plugins/security.js';
import { BENCH_SESSION_SECRET } from './bench-config.js';
import { cookieHeader, csrfTokenIn, httpRequest, setCookies } from './http.js';

/**
 * Signed-in sessions for many synthetic people without running the login form for each:
 * argon2id (64 MiB, t=3) costs far more per login than the pages being measured, and the login
 * rate limit would stop the bench. The session is written through the app's own session store,
 * exactly as a successful login leaves it; login throughput is measured separately (exam-burst).
 */

export interface BenchSession {
  user: SessionUser;
  /** The Cookie header value for this session. */
  cookie: string;
  /** A CSRF token for this session (after `withCsrf`). */
  csrf: string;
}

const SESSION_MS = 8 * 3600 * 1000;

async function inBatches<T>(items: T[], size: number, fn: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

export async function createSessions(
  models: Models,
  users: SessionUser[],
  now = new Date(),
): Promise<BenchSession[]> {
  const store = createSessionStore(models, () => now);
  const signer = new Signer(BENCH_SESSION_SECRET);
  const sessions: BenchSession[] = [];
  await inBatches(users, 32, async (user) => {
    const sid = randomBytes(24).toString('base64url');
    const expires = new Date(now.getTime() + SESSION_MS);
    const data = {
      cookie: {
        originalMaxAge: SESSION_MS,
        expires,
        httpOnly: true,
        path: '/',
        sameSite: 'lax',
        secure: false,
      },
      user,
      // The CSRF secret a login stores with the new session (routes/auth), as @fastify/csrf makes it.
      _csrf: randomBytes(18).toString('base64url'),
    };
    // The store takes @fastify/session's Session object; it only serialises it, so plain data is the same.
    const session = data as unknown as Parameters<typeof store.set>[1];
    await new Promise<void>((resolve, reject) =>
      store.set(sid, session, (err) => (err ? reject(err) : resolve())),
    );
    const cookie = cookieHeader({ [SESSION_COOKIE]: encodeURIComponent(signer.sign(sid)) });
    sessions.push({ user, cookie, csrf: '' });
  });
  return sessions;
}

/**
 * Loads one page per session to get a CSRF token (from the secret the session holds). Fails loudly
 * if a session is not accepted, so a change in the session format breaks the smoke test rather than
 * silently measuring the login page.
 */
export async function withCsrf(baseUrl: string, sessions: BenchSession[], pagePath = '/'): Promise<void> {
  await inBatches(sessions, 16, async (s) => {
    const res = await httpRequest(`${baseUrl}${pagePath}`, { headers: { cookie: s.cookie } });
    const token = res.status === 200 ? csrfTokenIn(res.body) : null;
    if (!token)
      throw new Error(`session for ${s.user.email} not accepted on ${pagePath}: HTTP ${res.status}`);
    const fresh = setCookies(res);
    if (fresh[SESSION_COOKIE]) s.cookie = cookieHeader({ [SESSION_COOKIE]: fresh[SESSION_COOKIE] });
    s.csrf = token;
  });
}
