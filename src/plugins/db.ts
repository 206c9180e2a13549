import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { migrateData, openDb } from '../db/connection.js';
import { createAuditLog, signerFromKey } from '../services/audit/log.js';

/** Opens the database connection for this app instance and closes it when the app closes. */
export default fp(
  async function db(app: FastifyInstance, opts: { mongoUri: string }) {
    const db = await openDb(opts.mongoUri, app.config.DB_NAME, app.config.QUERY_INDEXES);
    await migrateData(db.models);
    app.decorate('db', db);
    app.decorate('audit', createAuditLog(db.models, signerFromKey(app.config.AUDIT_SIGNING_KEY)));
    app.addHook('onClose', async () => {
      await db.close();
    });
  },
  { name: 'db' },
);
