import type { FastifyInstance } from 'fastify';
import type { XapiConfigDoc } from '../../src/db/models/xapi.js';
import type { Ralph } from './ralph.js';

/** The stored LRS settings (the single `xapi` document), as the admin page saved them. */
export const storedLrsSettings = (app: FastifyInstance) =>
  app.db.models.XapiConfig.findById('xapi').lean<XapiConfigDoc>();

/** The admin's LRS settings form filled in to send to this Ralph, with `over` changed. */
export const lrsSettingsForm = (ralph: Ralph, over: Record<string, string | null> = {}) => ({
  enabled: 'on',
  endpoint: ralph.endpoint,
  key: ralph.username,
  secret: ralph.password,
  actor: 'account',
  ...over,
});
