import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { isDatabaseUnavailable } from '../db/connection.js';
import { Conflict, DomainError, Forbidden, Invalid, NotFound, TooManyAttempts } from '../domain/errors.js';
import type { MessageValues } from '../i18n/translator.js';
import { appendHeaderGuard } from './header-guard.js';
import { requestTranslator } from './i18n.js';

function wantsJson(request: FastifyRequest): boolean {
  if (request.url.startsWith('/api/')) return true;
  const accept = request.headers.accept ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
}

/** The statuses with a title of their own (errors.title.<status>); others get a general one. */
const TITLED = new Set([400, 403, 404, 409, 413, 414, 415, 429, 503]);

/** A message of the errors catalogue, with its values. */
interface ErrorText {
  key: string;
  values?: MessageValues;
}

/**
 * Turns schema-validation detail into a sentence a person can act on: which field. The validator's
 * own wording is English for developers, so only the field's name is shown.
 */
function validationMessage(err: FastifyError): ErrorText {
  const first = err.validation?.[0];
  if (!first) return { key: 'errors.validation.malformed' };
  const field =
    (first.instancePath || '').replace(/^\//, '').replace(/\//g, '.') ||
    String(first.params?.missingProperty ?? first.params?.additionalProperty ?? '');
  return field ? { key: 'errors.validation.field', values: { field } } : { key: 'errors.validation.request' };
}

/**
 * What to tell a person about an error fastify itself raised (a broken URL, a body it could not
 * read): its own messages are for developers and name internal codes.
 */
const FRAMEWORK_MESSAGES: Record<number, string> = {
  400: 'errors.framework.unreadable',
  413: 'errors.framework.tooLarge',
  414: 'errors.framework.addressTooLong',
  415: 'errors.framework.unsupportedUpload',
};

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
  text: ErrorText | string,
): Promise<FastifyReply> {
  reply.code(status);
  // The page's language, also for errors raised before the i18n preHandler ran.
  const i18n = requestTranslator(request);
  const message = typeof text === 'string' ? text : i18n.t(text.key, text.values);
  const title = i18n.t(
    TITLED.has(status)
      ? `errors.title.${status}`
      : status >= 500
        ? 'errors.title.server'
        : 'errors.title.other',
  );
  // The request id is in every log line of this request: quoted to support, it finds them.
  const reference = request.id;
  if (wantsJson(request)) return reply.send({ statusCode: status, error: title, message, reference });
  const page = {
    status,
    reference,
    title,
    message,
    user: request.user ?? null,
    t: (key: string, values?: MessageValues) => i18n.t(key, values),
    i18n,
    lang: i18n.lang,
    dir: i18n.dir,
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
    return send(request, reply, 503, { key: 'errors.unavailable' });
  }
  if (err.validation) return send(request, reply, 400, validationMessage(err));
  if (err instanceof DomainError) {
    if (err instanceof TooManyAttempts) reply.header('retry-after', String(err.retryAfterSeconds));
    // The message is a catalogue key, or (older code) a sentence shown as it is.
    const known = requestTranslator(request).has(err.message);
    const text = known ? { key: err.message, values: (err as DomainError).values } : err.message;
    return send(request, reply, DOMAIN_STATUS.get(err.constructor) ?? 400, text);
  }
  const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
  if (status >= 500) {
    request.log.error({ err }, 'request failed');
    return send(request, reply, status, { key: 'errors.server' });
  }
  if (status === 403 && err.code?.startsWith('FST_CSRF')) {
    return send(request, reply, 403, { key: 'errors.csrf' });
  }
  if (err.code === 'FST_ERR_BAD_URL') return send(request, reply, 400, { key: 'errors.badAddress' });
  if (status === 413 || isFrameworkError(err))
    return send(request, reply, status, { key: FRAMEWORK_MESSAGES[status] ?? FRAMEWORK_MESSAGES[400]! });
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

    app.setNotFoundHandler(async (request, reply) => send(request, reply, 404, { key: 'errors.notFound' }));
  },
  { name: 'errors' },
);
