import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import decideRoutes from './decide.js';
import exampleRoutes from './examples.js';
import lessonRoutes from './lessons.js';
import myTrainingRoutes from './my-training.js';
import overviewRoutes from './overview.js';
import practiceRoutes from './practice.js';
import refresherRoutes from './refresher.js';

/**
 * The learner's area: "My training" at `/`, and per course under `/learn/:courseId` the overview,
 * lessons (with feedback), the example gallery, the "Can I share this?" guide and a refresher's start
 * (the check of what the learner still knows).
 * The quiz and attestation pages under the same prefix belong to their own route plugins.
 */
const learnRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(myTrainingRoutes);
  await app.register(overviewRoutes);
  await app.register(lessonRoutes);
  await app.register(exampleRoutes);
  await app.register(decideRoutes);
  await app.register(practiceRoutes);
  await app.register(refresherRoutes);
};

export default learnRoutes;
