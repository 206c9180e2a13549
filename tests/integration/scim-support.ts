import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

/** A SCIM response body, read loosely as the clients do. */
// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary SCIM JSON
export type ScimJson = any;

export const SCIM_JSON = 'application/scim+json';
export const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** A SCIM client holding one bearer token, speaking application/scim+json as Entra and Okta do. */
export function scimClient(app: FastifyInstance, token: string) {
  return async (
    method: string,
    url: string,
    body?: unknown,
  ): Promise<LightMyRequestResponse & { body: string; data: ScimJson }> => {
    const res = await app.inject({
      method: method as 'GET',
      url: `/scim/v2${url}`,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': SCIM_JSON }),
      },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
    let data: ScimJson = null;
    try {
      data = res.body ? JSON.parse(res.body) : null;
    } catch {
      data = null;
    }
    return Object.assign(res, { data });
  };
}

export async function newToken(app: FastifyInstance): Promise<{ id: string; token: string }> {
  return app.services.identity.createScimToken({ createdBy: 'test', now: new Date() });
}

export const newUserBody = (email: string, extra: Record<string, unknown> = {}) => ({
  schemas: [USER, ENTERPRISE],
  userName: email,
  name: { givenName: 'Ada', familyName: 'Lovelace' },
  emails: [{ value: email, type: 'work', primary: true }],
  active: true,
  ...extra,
});
