import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { HR_ROLES } from '../../../domain/access.js';
import { STATE_LABELS } from '../../../domain/reporting.js';
import { HttpError } from '../../../plugins/auth.js';
import { employeeHistory } from '../../../services/report-history.js';

const Params = Type.Object(
  { userId: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }) },
  { additionalProperties: false },
);

/** One person's full training history, for HR and auditors. People are listed at /hr/people. */
const employeeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/hr/employees', { config: { access: HR_ROLES } }, async (_request, reply) =>
    reply.redirect('/hr/people'),
  );

  app.get(
    '/hr/employees/:userId',
    { config: { access: HR_ROLES }, schema: { params: Params } },
    async (request, reply) => {
      const history = await employeeHistory(app.db.models, app.courses, request.params.userId);
      if (!history) throw new HttpError(404, 'There is no person with that id.');
      return reply.viewAsync('hr/employees/show', { ...history, stateLabels: STATE_LABELS });
    },
  );
};

export default employeeRoutes;
