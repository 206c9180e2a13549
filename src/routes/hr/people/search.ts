import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { HR_ROLES } from '../../../domain/access.js';

const SearchQuery = Type.Object(
  { q: Type.Optional(Type.String({ maxLength: 100 })) },
  { additionalProperties: false },
);

/**
 * `GET /hr/people/search?q=`: the person picker's live results (public/js/person-picker.js), as
 * JSON. Without a script the assignments page's own search button answers the same search.
 */
const personSearchRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/hr/people/search',
    { config: { access: HR_ROLES }, schema: { querystring: SearchQuery } },
    async (request) => app.services.people.searchPeople({ q: request.query.q ?? '', now: app.clock.now() }),
  );
};

export default personSearchRoutes;
