import { GROUP_SCHEMA } from './group-resource.js';
import { ENTERPRISE_SCHEMA, USER_SCHEMA } from './user-resource.js';

/** The most resources one list page returns (RFC 7643 §5 `filter.maxResults`). */
export const MAX_RESULTS = 200;
export const LIST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

/** RFC 7643 §5: what this provider supports. */
export function serviceProviderConfig(baseUrl: string) {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
    documentationUri: `${baseUrl}/`,
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_RESULTS },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: false },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'Bearer token',
        description:
          'A token created with `npm run lms -- scim:token`, sent as "Authorization: Bearer <token>".',
        primary: true,
      },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${baseUrl}/scim/v2/ServiceProviderConfig` },
  };
}

export function resourceTypes(baseUrl: string) {
  return [
    {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'],
      id: 'User',
      name: 'User',
      endpoint: '/Users',
      description: 'A person who takes training',
      schema: USER_SCHEMA,
      schemaExtensions: [{ schema: ENTERPRISE_SCHEMA, required: false }],
      meta: { resourceType: 'ResourceType', location: `${baseUrl}/scim/v2/ResourceTypes/User` },
    },
    {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'],
      id: 'Group',
      name: 'Group',
      endpoint: '/Groups',
      description: 'A group pushed by the identity provider',
      schema: GROUP_SCHEMA,
      schemaExtensions: [],
      meta: { resourceType: 'ResourceType', location: `${baseUrl}/scim/v2/ResourceTypes/Group` },
    },
  ];
}

type Attr = {
  name: string;
  type: string;
  required?: boolean;
  multiValued?: boolean;
  mutability?: string;
  uniqueness?: string;
  subAttributes?: Attr[];
};

const attr = (name: string, type = 'string', more: Partial<Attr> = {}) => ({
  name,
  type,
  multiValued: false,
  required: false,
  caseExact: false,
  mutability: 'readWrite',
  returned: 'default',
  uniqueness: 'none',
  ...more,
});

/** RFC 7643 §7: the attributes this provider stores (others are accepted and ignored). */
export function schemas(baseUrl: string) {
  const schema = (id: string, name: string, attributes: unknown[]) => ({
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:Schema'],
    id,
    name,
    description: name,
    attributes,
    meta: { resourceType: 'Schema', location: `${baseUrl}/scim/v2/Schemas/${id}` },
  });
  return [
    schema(USER_SCHEMA, 'User', [
      attr('userName', 'string', { required: true, uniqueness: 'server' }),
      attr('name', 'complex', {
        subAttributes: [attr('formatted'), attr('givenName'), attr('familyName')] as Attr[],
      }),
      attr('displayName'),
      attr('emails', 'complex', {
        multiValued: true,
        subAttributes: [attr('value'), attr('type'), attr('primary', 'boolean')] as Attr[],
      }),
      attr('active', 'boolean'),
      attr('externalId'),
    ]),
    schema(ENTERPRISE_SCHEMA, 'EnterpriseUser', [
      attr('employeeNumber', 'string', { uniqueness: 'server' }),
      attr('department'),
      attr('manager', 'complex', { subAttributes: [attr('value')] as Attr[] }),
    ]),
    schema(GROUP_SCHEMA, 'Group', [
      attr('displayName', 'string', { required: true, uniqueness: 'server' }),
      attr('members', 'complex', {
        multiValued: true,
        subAttributes: [attr('value'), attr('type')] as Attr[],
      }),
      attr('externalId'),
    ]),
  ];
}
