import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import hrQuizRoutes from './hr.js';
import learnerQuizRoutes from './learner.js';

/** The quiz area: the learner's attempts under /learn/:courseId/quiz, HR's view under /hr/people. */
const quizRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(learnerQuizRoutes);
  await app.register(hrQuizRoutes);
};

export default quizRoutes;
