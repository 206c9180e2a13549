import { validateHeaderName, validateHeaderValue } from 'node:http';
import type { FastifyReply, FastifyRequest, onSendHookHandler, RouteOptions } from 'fastify';
import { sameSitePath } from '../domain/redirect-target.js';

/** A reply that cannot be sent as it is: the error handler answers it with a 500 page. */
export class UnsendableReplyError extends Error {
  readonly statusCode = 500;
}

/** Why each header of the reply could not be written, by header name (empty: all fine). */
function headerProblems(reply: FastifyReply, baseUrl: string): Map<string, string> {
  const problems = new Map<string, string>();
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    try {
      validateHeaderName(name);
      // Node refuses undefined as well as characters outside Latin-1 and line breaks.
      for (const item of [value].flat()) validateHeaderValue(name, item as string);
    } catch (err) {
      problems.set(name, (err as { code?: string }).code ?? 'invalid');
      continue;
    }
    // Every redirect the app makes stays on its own site; one that does not is a bug, not a link.
    // The only exception: the routes that send the browser to the identity provider say so.
    const offSiteAllowed =
      reply.routeOptions.config.offSiteRedirect === true && /^https?:\/\//.test(String(value));
    if (name === 'location' && !offSiteAllowed && sameSitePath(String(value), baseUrl) === null)
      problems.set(name, 'not a path on this site');
  }
  return problems;
}

/**
 * The last onSend hook of every route. It checks each header before Node writes the head, so a
 * value that cannot be sent (a newline, a character beyond Latin-1) or a redirect off the site
 * becomes a logged 500 page for that one request, without the offending headers.
 *
 * Being async and last matters as much as the check: fastify catches what writing the head throws
 * only when the hook chain ends in a promise. A callback hook (the session store's save) resumes
 * the chain from its own callback, and a throw there became an unhandled rejection, which
 * close-with-grace answers by shutting the whole app down (issue #21, item 1).
 */
export function headerGuard(baseUrl: string): onSendHookHandler {
  return async function guardHeaders(_request: FastifyRequest, reply: FastifyReply, payload: unknown) {
    const problems = headerProblems(reply, baseUrl);
    if (problems.size === 0) return payload;
    for (const name of problems.keys()) reply.removeHeader(name);
    const detail = [...problems].map(([name, why]) => `${name} (${why})`).join(', ');
    throw new UnsendableReplyError(`refused to send the reply's headers: ${detail}`);
  };
}

/** An onRoute hook that appends the guard to each route's own onSend hooks, which run after every shared one. */
export function appendHeaderGuard(baseUrl: string) {
  const guard = headerGuard(baseUrl);
  return (route: RouteOptions): void => {
    const own = [route.onSend ?? []].flat();
    // fastify copies a GET route's hooks into its HEAD route, which comes through here as well.
    if (!own.includes(guard)) route.onSend = [...own, guard];
  };
}
