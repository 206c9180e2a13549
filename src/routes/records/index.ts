import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import attestRoutes from './attest.js';
import certificateRoutes from './certificates.js';
import evidenceRoutes from './evidence.js';

/** Proof of training: attestation, certificates and public verification, evidence packs. */
const recordsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(attestRoutes);
  await app.register(certificateRoutes);
  await app.register(evidenceRoutes);
};

export default recordsRoutes;
