/**
 * What a learner did in the web app that the customer's LRS hears about (#27). Services describe
 * the event; `services/xapi` turns it into an xAPI statement (domain/xapi/statements.ts) and puts
 * it in the durable outbox. `key` is the natural key of the record the event came from (a
 * progress row, an attempt, an attestation…): the statement id is derived from it, so a retried
 * command or a resent batch never makes a second statement for the same thing.
 */
interface EventBase {
  key: string;
  userId: string;
  courseId: string;
  at: Date;
  /** The assignment cycle the record belongs to, when known: the statement's registration. */
  cycleId?: string;
}

export type LearningEvent =
  /** The learner opened the course (once per assignment cycle). */
  | (EventBase & { kind: 'launched'; language: string })
  | (EventBase & { kind: 'lessonCompleted'; lessonId: string })
  | (EventBase & { kind: 'exampleClassified'; exampleId: string; response: string; correct: boolean })
  /** One graded question of a quiz attempt, sent after the attempt is graded. */
  | (EventBase & {
      kind: 'answered';
      attemptId: string;
      questionId: string;
      response: string[];
      correct: boolean;
    })
  /** A graded quiz attempt: `scaled` 0–1, `passed` against the course's pass mark. */
  | (EventBase & { kind: 'quizFinished'; attemptId: string; scaled: number; passed: boolean })
  | (EventBase & { kind: 'attested'; policyVersion: string; language: string })
  | (EventBase & { kind: 'certificateEarned'; certificateCode: string });

export type LearningEventKind = LearningEvent['kind'];
