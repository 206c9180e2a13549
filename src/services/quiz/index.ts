/** Quiz use cases: start, save, submit, the learner's overview, and HR's view and grant. */
import { findLearnerAttempt, saveAnswers, startAttempt, submitAttempt } from './attempts.js';
import { grantAttempts, listPersonAttempts } from './hr.js';
import { loadQuizContext } from './overview.js';
import { findPretest, savePretestAnswers, startPretest, submitPretest } from './pretest.js';

export type { AttemptDoc, AttemptResultDoc } from '../../db/models/quiz.js';
export {
  type AttemptRef,
  findLearnerAttempt,
  type LearnerAttempt,
  type SaveOutcome,
  type SubmitOutcome,
  saveAnswers,
  startAttempt,
  submitAttempt,
} from './attempts.js';
export { choiceTokensFor } from './choice-tokens.js';
export { questionMap, quizCourse } from './course.js';
export { grantAttempts, listPersonAttempts, type PersonAttempts } from './hr.js';
export { loadQuizContext, type QuizContext } from './overview.js';
export {
  findPretest,
  type LearnerPretest,
  type PretestSubmitOutcome,
  savePretestAnswers,
  startPretest,
  submitPretest,
} from './pretest.js';
export { gradeAndRecord } from './record-result.js';

/** The quiz area's commands, bound to the service context in services/index.ts (`app.services.quiz`). */
export const quizCommands = {
  loadQuizContext,
  startAttempt,
  findLearnerAttempt,
  saveAnswers,
  submitAttempt,
  listPersonAttempts,
  grantAttempts,
  startPretest,
  findPretest,
  savePretestAnswers,
  submitPretest,
};
