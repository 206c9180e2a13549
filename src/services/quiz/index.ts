/** Quiz use cases: start, save, submit, the learner's overview, and HR's view and grant. */
export {
  findLearnerAttempt,
  type LearnerAttempt,
  saveAnswers,
  startAttempt,
  submitAttempt,
} from './attempts.js';
export { choiceTokensFor } from './choice-tokens.js';
export { type QuizDeps, QuizError, questionMap } from './deps.js';
export { grantAttempts, listPersonAttempts, type PersonAttempts } from './hr.js';
export { loadQuizContext, type QuizContext } from './overview.js';

/** The quiz area's commands, bound to the service context in services/index.ts. */
export const quizCommands = {};
