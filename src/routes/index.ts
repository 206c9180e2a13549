import type { FastifyInstance } from 'fastify';
import organisationRoutes from './admin/organisation.js';
import ssoAdminRoutes from './admin/sso.js';
import authRoutes from './auth/index.js';
import oidcRoutes from './auth/oidc.js';
import samlRoutes from './auth/saml.js';
import healthRoutes from './health/index.js';
import homeRoutes from './home/index.js';
import hrAssignmentRoutes from './hr/assignments/index.js';
import hrKnowledgeRoutes from './hr/courses/knowledge/index.js';
import hrItemStatsRoutes from './hr/courses/questions/index.js';
import hrCourseSettingsRoutes from './hr/courses/settings/index.js';
import hrFailedMailRoutes from './hr/outbox/failed.js';
import hrOutboxRoutes from './hr/outbox/index.js';
import hrPeopleRoutes from './hr/people/index.js';
import hrPolicyRoutes from './hr/policy/index.js';
import reportingArea from './hr/reports/reporting-area.js';
import learnRoutes from './learn/index.js';
import quizRoutes from './quiz/index.js';
import recordsRoutes from './records/index.js';
import scimRoutes from './scim/index.js';
import scormRoutes from './scorm/index.js';
import teamRoutes from './team/index.js';

/** Each area is an encapsulated plugin (never wrapped in fastify-plugin). */
export default async function routes(app: FastifyInstance) {
  await app.register(healthRoutes);
  await app.register(authRoutes);
  await app.register(oidcRoutes);
  await app.register(samlRoutes);
  await app.register(homeRoutes);
  await app.register(learnRoutes);
  await app.register(recordsRoutes);
  await app.register(quizRoutes);
  await app.register(reportingArea);
  await app.register(hrPeopleRoutes);
  await app.register(hrAssignmentRoutes);
  await app.register(hrFailedMailRoutes);
  await app.register(hrOutboxRoutes);
  await app.register(hrCourseSettingsRoutes);
  await app.register(hrItemStatsRoutes);
  await app.register(hrKnowledgeRoutes);
  await app.register(hrPolicyRoutes);
  await app.register(teamRoutes);
  await app.register(scormRoutes);
  await app.register(organisationRoutes);
  await app.register(ssoAdminRoutes);
  await app.register(scimRoutes, { prefix: '/scim/v2' });
}
