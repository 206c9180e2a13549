import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { NotFound } from '../../domain/errors.js';
import { ERROR_SCHEMA } from '../../domain/scim/discovery.js';
import { ScimProblem } from '../../domain/scim/errors.js';
import { translator } from '../../i18n/translator.js';

const ENGLISH = translator('en');

export const SCIM_TYPE = 'application/scim+json; charset=utf-8';

/** An RFC 7644 §3.12 error body. */
export function sendScimError(reply: FastifyReply, status: number, detail: string, scimType?: string) {
  return reply
    .code(status)
    .type(SCIM_TYPE)
    .send({ schemas: [ERROR_SCHEMA], status: String(status), ...(scimType ? { scimType } : {}), detail });
}

/** Every failure under /scim/v2 as a SCIM error (never the site's HTML error page). */
export function scimErrorHandler(err: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (err instanceof ScimProblem)
    return sendScimError(reply, err.scimType === 'uniqueness' ? 409 : 400, err.message, err.scimType);
  // SCIM details are English (protocol text); a domain message that is a catalogue key is worded in it.
  if (err instanceof NotFound)
    return sendScimError(
      reply,
      404,
      ENGLISH.has(err.message) ? ENGLISH.t(err.message, err.values) : err.message,
    );
  if (err.validation)
    return sendScimError(reply, 400, `The request is not valid: ${err.message}`, 'invalidSyntax');
  if (err.statusCode === 413) return sendScimError(reply, 413, 'The request body is too large.');
  if (err.statusCode === 415)
    return sendScimError(reply, 415, 'Send application/scim+json or application/json.');
  if (err.statusCode === 400)
    return sendScimError(reply, 400, 'The request body is not valid JSON.', 'invalidSyntax');
  request.log.error({ err }, 'SCIM request failed');
  return sendScimError(reply, 500, 'The request could not be completed.');
}
