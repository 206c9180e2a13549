import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import attestRoutes from './attest.js';
import certificateRoutes from './certificates.js';
import evidenceRoutes from './evidence.js';
import policyRoutes from './policy.js';

/** Proof of training: attestation and the policy text attested, certificates and public verification, evidence packs. */
const recordsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(attestRoutes);
  await app.register(certificateRoutes);
  await app.register(evidenceRoutes);
  await app.register(policyRoutes);
};

export default recordsRoutes;
