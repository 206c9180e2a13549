import type { RouteOptions } from 'fastify';

/**
 * Links in e-mails and campaign tools gain parameters we never asked for (utm_*, fbclid, a mail
 * client's own). A GET page ignores parameters it does not know instead of answering 400; the
 * ones it does know are still validated. Request bodies stay strict (see form-schema.ts).
 * Registered as an onRoute hook before the routes, so every route passes through it.
 */
export function ignoreUnknownQueryParams(route: RouteOptions): void {
  const methods = [route.method].flat();
  const query = route.schema?.querystring as { additionalProperties?: unknown } | undefined;
  if (query?.additionalProperties !== false) return;
  if (!methods.every((m) => m === 'GET' || m === 'HEAD')) return;
  // A copy: several routes share one schema object.
  route.schema = { ...route.schema, querystring: { ...query, additionalProperties: true } };
}
