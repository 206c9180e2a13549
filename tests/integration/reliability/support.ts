import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Session } from '../../helpers/app.js';

/** Prints one section of the reliability report (each test file prints its own). */
export function printReport(section: string, lines: string[]): void {
  const body = lines.map((l) => `  ${l}`).join('\n');
  console.log(`\n[reliability report] ${section}\n${body}\n`);
}

/** Routes of the table, static files excepted, GET first (so session-ending posts run last). */
export function tableRoutes(app: FastifyInstance) {
  const rows = app.routeTable.filter((r) => !r.url.startsWith('/static/'));
  const order = (m: string) => (m === 'GET' ? 0 : 1);
  return [...rows].sort((a, b) => order(a.method) - order(b.method) || a.url.localeCompare(b.url));
}

export const isStateChanging = (method: string) => !['GET', 'HEAD', 'OPTIONS'].includes(method);

/** Sends a form with any method from a session, with a valid CSRF token unless `_csrf` is given (null omits it). */
export async function sendForm(
  s: Session,
  method: string,
  url: string,
  form: Record<string, string | string[] | null>,
  csrfPage: string,
): Promise<LightMyRequestResponse> {
  const withToken = '_csrf' in form ? form : { ...form, _csrf: await s.csrf(csrfPage) };
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(withToken)) {
    if (v === null) continue;
    for (const item of [v].flat()) body.append(k, item);
  }
  return s.request({
    method: method as 'POST',
    url,
    payload: body.toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
}

/** Polls `check` every `everyMs` until it returns true or `timeoutMs` has passed (real processes only). */
export async function waitFor(
  check: () => Promise<boolean>,
  timeoutMs: number,
  everyMs = 200,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return true;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return false;
}
