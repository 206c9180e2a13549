import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

/** The learner's area: "My training" at `/`. */
const learnRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/', { config: { access: 'authenticated' } }, async (_request, reply) => reply.viewAsync('learn/my-training', {}));
};

export default learnRoutes;
