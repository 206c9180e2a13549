import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { LIST_SCHEMA, resourceTypes, schemas, serviceProviderConfig } from '../../domain/scim/discovery.js';
import { SCIM_TYPE, scimErrorHandler, sendScimError } from './errors.js';

/** A SCIM body is one resource or one PatchOp; 1,000 group members fit well within this. */
export const SCIM_BODY_LIMIT = 256 * 1024;

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const ListQuery = Type.Object({
  filter: Type.Optional(Type.String({ maxLength: 1000 })),
  startIndex: Type.Optional(Type.Integer({ minimum: -1_000_000, maximum: 1_000_000_000 })),
  count: Type.Optional(Type.Integer({ minimum: -1_000_000, maximum: 1_000_000_000 })),
  attributes: Type.Optional(Type.String({ maxLength: 1000 })),
  excludedAttributes: Type.Optional(Type.String({ maxLength: 1000 })),
});
/** Resource bodies are checked attribute by attribute in domain/scim (their shape varies by client). */
const ResourceBody = Type.Record(Type.String(), Type.Unknown());

/**
 * SCIM 2.0 (RFC 7644) under /scim/v2: authenticated by a bearer token from `scim:token` alone —
 * no session, no CSRF (no cookie is involved, so there is nothing to forge). Nothing else on the
 * site accepts these tokens, and these routes accept nothing else.
 */
const scimRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tokenOf = new WeakMap<FastifyRequest, string>();
  const token = (request: FastifyRequest) => tokenOf.get(request) as string;
  const json = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/scim+json', { parseAs: 'string', bodyLimit: SCIM_BODY_LIMIT }, json);
  app.setErrorHandler(scimErrorHandler);
  app.setNotFoundHandler((request, reply) =>
    sendScimError(reply, 404, `No SCIM endpoint ${request.method} ${request.url.split('?')[0]}.`),
  );

  app.addHook('onRequest', async (request, reply) => {
    const header = request.headers.authorization ?? '';
    const bearer = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    const tokenId = bearer
      ? await app.services.identity.authenticateScimToken({ bearer, now: app.clock.now() })
      : null;
    if (!tokenId) {
      reply.header('www-authenticate', 'Bearer realm="scim"');
      return sendScimError(reply, 401, 'A valid SCIM bearer token is required.');
    }
    tokenOf.set(request, tokenId);
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    if (String(reply.getHeader('content-type') ?? '').startsWith('application/json')) reply.type(SCIM_TYPE);
    return payload;
  });

  const config = { access: 'public' as const, csrf: false };
  const opts = { config, bodyLimit: SCIM_BODY_LIMIT };
  const list = (total: number, startIndex: number, resources: unknown[]) => ({
    schemas: [LIST_SCHEMA],
    totalResults: total,
    startIndex,
    itemsPerPage: resources.length,
    Resources: resources,
  });
  const write = (request: FastifyRequest) => ({ tokenId: token(request), now: app.clock.now() });
  const base = app.config.BASE_URL;

  app.get('/ServiceProviderConfig', { config }, async () => serviceProviderConfig(base));
  app.get('/ResourceTypes', { config }, async () => {
    const all = resourceTypes(base);
    return list(all.length, 1, all);
  });
  app.get('/ResourceTypes/:id', { config, schema: { params: IdParams } }, async (request, reply) => {
    const found = resourceTypes(base).find((r) => r.id === request.params.id);
    return found ?? sendScimError(reply, 404, `No ResourceType ${request.params.id}.`);
  });
  app.get('/Schemas', { config }, async () => {
    const all = schemas(base);
    return list(all.length, 1, all);
  });
  app.get('/Schemas/:id', { config, schema: { params: IdParams } }, async (request, reply) => {
    const found = schemas(base).find((s) => s.id === request.params.id);
    return found ?? sendScimError(reply, 404, `No Schema ${request.params.id}.`);
  });

  for (const [kind, svc] of [
    [
      'Users',
      {
        list: 'scimListUsers',
        get: 'scimGetUser',
        create: 'scimCreateUser',
        replace: 'scimReplaceUser',
        patch: 'scimPatchUser',
        remove: 'scimDeleteUser',
      },
    ],
    [
      'Groups',
      {
        list: 'scimListGroups',
        get: 'scimGetGroup',
        create: 'scimCreateGroup',
        replace: 'scimReplaceGroup',
        patch: 'scimPatchGroup',
        remove: 'scimDeleteGroup',
      },
    ],
  ] as const) {
    const id = app.services.identity;
    app.get(`/${kind}`, { config, schema: { querystring: ListQuery } }, async (request) => {
      const page = await id[svc.list](request.query);
      return list(page.total, page.startIndex, page.resources);
    });
    app.get(`/${kind}/:id`, { config, schema: { params: IdParams } }, async (request) =>
      id[svc.get]({ id: request.params.id }),
    );
    app.post(`/${kind}`, { ...opts, schema: { body: ResourceBody } }, async (request, reply) => {
      const created = await id[svc.create]({ ...write(request), body: request.body });
      return reply.code(201).header('location', new URL(created.meta.location).pathname).send(created);
    });
    app.put(`/${kind}/:id`, { ...opts, schema: { params: IdParams, body: ResourceBody } }, async (request) =>
      id[svc.replace]({ ...write(request), id: request.params.id, body: request.body }),
    );
    app.patch(
      `/${kind}/:id`,
      { ...opts, schema: { params: IdParams, body: ResourceBody } },
      async (request) => id[svc.patch]({ ...write(request), id: request.params.id, body: request.body }),
    );
    app.delete(`/${kind}/:id`, { config, schema: { params: IdParams } }, async (request, reply) => {
      await id[svc.remove]({ ...write(request), id: request.params.id });
      return reply.code(204).send();
    });
  }
};

export default scimRoutes;
