/** Learning use cases: lesson views and progress, "My training", example posts, lesson feedback. */
import { classifyExample, clauseConfusion, recordedAnswers } from './classification.js';
import { submitFeedback } from './feedback.js';
import { courseForLearner, courseForLearnerOf } from './jurisdictions.js';
import {
  clauseHistory,
  clauseMemoryOf,
  rebuildClauseMemory,
  recordClauseAnswer,
  recordClauseReviews,
  recordQuizResult,
} from './mastery.js';
import { answerPractice, openPractice, practiceQuestionsSeen } from './practice.js';
import { courseProgress, myTraining, recordLessonView } from './progress.js';
import { declineTestOut, refresherStanding, studyClausesOf } from './refresher.js';

export {
  type ClassifyResult,
  type ClauseConfusion,
  classifyExample,
  clauseConfusion,
  recordedAnswers,
} from './classification.js';
export {
  FEEDBACK_KINDS,
  type FeedbackAuthor,
  type FeedbackInput,
  type FeedbackKind,
  submitFeedback,
} from './feedback.js';
export { courseForLearner, courseForLearnerOf, jurisdictionsOf } from './jurisdictions.js';
export {
  clauseHistory,
  clauseMemoryOf,
  rebuildClauseMemory,
  recordClauseAnswer,
  recordClauseReviews,
  recordQuizResult,
  reviewsOfAnswer,
  reviewsOfResult,
} from './mastery.js';
export {
  answerPractice,
  openPractice,
  type PracticeAnswer,
  type PracticeState,
  practiceQuestionsSeen,
} from './practice.js';
export {
  type CourseProgress,
  courseProgress,
  lessonPath,
  myTraining,
  recordLessonView,
  resumeLocation,
  type TrainingSummary,
} from './progress.js';
export { declineTestOut, type RefresherStanding, refresherStanding, studyClausesOf } from './refresher.js';

/** The learning area's commands, bound to the service context in services/index.ts (`app.services.learning`). */
export const learningCommands = {
  recordLessonView,
  courseProgress,
  myTraining,
  classifyExample,
  recordedAnswers,
  clauseConfusion,
  submitFeedback,
  courseForLearner,
  courseForLearnerOf,
  refresherStanding,
  declineTestOut,
  studyClausesOf,
  recordClauseReviews,
  recordQuizResult,
  recordClauseAnswer,
  clauseMemoryOf,
  clauseHistory,
  rebuildClauseMemory,
  openPractice,
  answerPractice,
  practiceQuestionsSeen,
};
