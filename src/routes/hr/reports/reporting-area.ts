import type { FastifyInstance } from 'fastify';
import dashboardRoutes from '../dashboard/index.js';
import employeeRoutes from '../employees/index.js';
import feedbackRoutes from '../feedback/index.js';
import complianceRoutes from './compliance.js';
import reportRoutes from './index.js';

/** HR reporting pages: dashboard, CSV reports, per-employee history and the feedback inbox. */
export default async function reportingArea(app: FastifyInstance) {
  await app.register(dashboardRoutes);
  await app.register(reportRoutes);
  await app.register(complianceRoutes);
  await app.register(employeeRoutes);
  await app.register(feedbackRoutes);
}
