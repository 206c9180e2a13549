import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { isDatabaseUnavailable } from '../db/connection.js';
import { Conflict, DomainError, Forbidden, Invalid, NotFound, TooManyAttempts } from '../domain/errors.js';
import { appendHeaderGuard } from './header-guard.js';
import { requestTranslator } from './i18n.js';

function wantsJson(request: FastifyRequest): boolean {
  if (request.url.startsWith('/api/')) return true;
  const accept = request.headers.accept ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
}

const TITLES: Record<number, string> = {
  400: 'Something in that request was not right',
  403: 'You do not have access to this page',
  404: 'Page not found',
  409: 'That was already done',
  413: 'That upload is too large',
  414: 'That address is too long',
  415: 'That kind of upload is not supported',
  429: 'Too many attempts',
  503: 'Temporarily unavailable',
};

/** Turns schema-validation detail into a sentence a person can act on. */
function validationMessage(err: FastifyError): string {
  const first = err.validation?.[0];
  if (!first) return 'The form was incomplete or malformed.';
  const field =
    (first.instancePath || '').replace(/^\//, '').replace(/\//g, '.') ||
    String(first.params?.missingProperty ?? first.params?.additionalProperty ?? '');
  return field
    ? `The field "${field}" ${first.message ?? 'is invalid'}.`
    : `The request ${first.message ?? 'is invalid'}.`;
}

/**
 * What to tell a person about an error fastify itself raised (a broken URL, a body it could not
 * read): its own messages are for developers and name internal codes.
 */
const FRAMEWORK_MESSAGES: Record<number, string> = {
  400: 'The page could not read what your browser sent. Please go back, reload the page and try again.',
  413: 'The request body is larger than this form accepts.',
  414: 'That address is too long. Check the link, or go back to your training.',
  415: 'This page does not accept that kind of upload.',
};
const BAD_ADDRESS = 'That address is not valid. Check the link, or go back to your training.';

/** The HTTP status of each error in the domain vocabulary (domain/errors.ts), mapped here only. */
const DOMAIN_STATUS = new Map<unknown, number>([
  [Invalid, 400],
  [Forbidden, 403],
  [NotFound, 404],
  [Conflict, 409],
  [TooManyAttempts, 429],
]);

function isFrameworkError(err: FastifyError): boolean {
  return typeof err.code === 'string' && /^FST_ERR_(CTP_|BAD_URL|MAX_PARAM_LENGTH)/.test(err.code);
}

async function send(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  message: string,
): Promise<FastifyReply> {
  reply.code(status);
  // The request id is in every log line of this request: quoted to support, it finds them.
  const reference = request.id;
  if (wantsJson(request))
    return reply.send({ statusCode: status, error: TITLES[status] ?? 'Error', message, reference });
  const page = {
    status,
    reference,
    title: TITLES[status] ?? (status >= 500 ? 'Something went wrong' : 'Request not accepted'),
    message,
    user: request.user ?? null,
  };
  try {
    // fastify answers framework errors (before routing) with its undecorated Reply, which has no
    // viewAsync: the page is then rendered by the app's view engine without the reply's locals.
    const html =
      typeof reply.viewAsync === 'function'
        ? await reply.viewAsync('errors/error', page)
        : await request.server.view('errors/error', page);
    return reply.type('text/html; charset=utf-8').send(html);
  } catch {
    return reply.type('text/plain; charset=utf-8').send(`${status} ${message}`);
  }
}

/**
 * The one error handler: HTML pages for browsers, JSON for API clients, never a stack
 * trace or internal detail in a response. 5xx errors are logged with the request id, which every
 * error answer shows as its reference.
 */
async function answerError(err: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (isDatabaseUnavailable(err)) {
    request.log.warn({ err: { name: err.name, message: err.message } }, 'database unavailable');
    // The session cannot be saved now either. Left in place, a changed session (read from the
    // session cache, so it got this far) would fail to save after this handler, and fastify's
    // fallback handler would answer with the raw driver error instead of this page.
    (request as { session: unknown }).session = null;
    reply.header('retry-after', '10');
    return send(
      request,
      reply,
      503,
      'The service is briefly unavailable. Your saved work is safe; please try again in a minute.',
    );
  }
  if (err.validation) return send(request, reply, 400, validationMessage(err));
  if (err instanceof DomainError) {
    if (err instanceof TooManyAttempts) reply.header('retry-after', String(err.retryAfterSeconds));
    const i18n = requestTranslator(request);
    const message = i18n.has(err.message) ? i18n.t(err.message, (err as DomainError).values) : err.message;
    return send(request, reply, DOMAIN_STATUS.get(err.constructor) ?? 400, message);
  }
  const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
  if (status >= 500) {
    request.log.error({ err }, 'request failed');
    return send(
      request,
      reply,
      status,
      'Something went wrong on our side. It has been logged; please try again.',
    );
  }
  if (status === 403 && err.code?.startsWith('FST_CSRF')) {
    return send(
      request,
      reply,
      403,
      'Your form expired or was not sent from this site. Please go back, reload and try again.',
    );
  }
  if (err.code === 'FST_ERR_BAD_URL') return send(request, reply, 400, BAD_ADDRESS);
  if (status === 413 || isFrameworkError(err))
    return send(request, reply, status, FRAMEWORK_MESSAGES[status] ?? FRAMEWORK_MESSAGES[400]!);
  return send(request, reply, status, err.message);
}

/**
 * fastify's `frameworkErrors` option: a URL it cannot decode, or a path parameter over
 * `maxParamLength` (414), is answered before routing, and without this with fastify's own JSON.
 * Nothing awaits this call, so a failure to render still ends in a plain answer.
 */
export function answerFrameworkError(err: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  answerError(err, request, reply).catch((renderErr: unknown) => {
    request.log.error({ err: renderErr }, 'framework error page failed');
    if (!reply.sent) reply.code(500).type('text/plain; charset=utf-8').send('500 Something went wrong');
  });
}

export default fp(
  async function errors(app: FastifyInstance) {
    app.setErrorHandler(answerError);

    // Each route's last onSend hook: a header that cannot be sent becomes this handler's 500 page.
    app.addHook('onRoute', appendHeaderGuard(app.config.BASE_URL));

    app.setNotFoundHandler(async (request, reply) =>
      send(
        request,
        reply,
        404,
        'There is nothing at this address. Check the link, or go back to your training.',
      ),
    );
  },
  { name: 'errors' },
);
