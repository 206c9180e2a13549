import type { FastifyInstance } from 'fastify';
import authRoutes from './auth/index.js';
import healthRoutes from './health/index.js';
import reportingArea from './hr/reports/reporting-area.js';
import homeRoutes from './home/index.js';
import learnRoutes from './learn/index.js';
import quizRoutes from './quiz/index.js';
import recordsRoutes from './records/index.js';
import scormRoutes from './scorm/index.js';
import teamRoutes from './team/index.js';

/** Each area is an encapsulated plugin (never wrapped in fastify-plugin). */
export default async function routes(app: FastifyInstance) {
  await app.register(healthRoutes);
  await app.register(authRoutes);
  await app.register(homeRoutes);
  await app.register(learnRoutes);
  await app.register(recordsRoutes);
  await app.register(quizRoutes);
  await app.register(reportingArea);
  await app.register(teamRoutes);
  await app.register(scormRoutes);
}
