/**
 * Every natural `_id` the data layer builds, in one place. Hot documents are keyed by what they
 * belong to, so a reader finds them with a plain `{_id}` lookup (the only filter FerretDB v1
 * serves from its index) and a second insert of the same thing is a duplicate-key error.
 */

/** A person's assignment to a course. */
export const assignmentKey = (userId: string, courseId: string) => `${userId}:${courseId}`;

/** The n-th certification cycle of an assignment (1-based). */
export const cycleKey = (userId: string, courseId: string, n: number) => `${userId}:${courseId}:${n}`;

/** The n-th quiz attempt in a cycle; its result shares the key. */
export const attemptKey = (cycleId: string, n: number) => `${cycleId}:${n}`;

/** A lesson seen in a cycle. */
export const lessonViewKey = (cycleId: string, lessonId: string) => `${cycleId}:${lessonId}`;

/** The policy text of one course version, kept once when the first person attests it. */
/**
 * A kept policy text: the version's text, `:<hash>` of the jurisdiction notices shown when any
 * were (two learners shown different notices signed different texts).
 */
export const policyTextKey = (courseId: string, version: string, noticesHash?: string) =>
  noticesHash ? `${courseId}:${version}:${noticesHash}` : `${courseId}:${version}`;

/** A learner's first answer to an example post (kept across cycles). */
export const classificationKey = (userId: string, courseId: string, exampleId: string) =>
  `${userId}:${courseId}:${exampleId}`;

/** One feedback submission (the form's own id makes a double submit a duplicate). */
export const feedbackKey = (authorId: string, submissionId: string) => `${authorId}:${submissionId}`;

/** The k-th stored chunk of a dashboard list of people in one state. */
export const reportListChunkKey = (courseId: string, state: string, k: number) => `${courseId}:${state}:${k}`;

/** One quiz question's item statistics (a nightly summary document). */
export const itemStatsKey = (courseId: string, questionId: string) => `${courseId}:${questionId}`;

/** A reminder: person, course, cycle, kind and day, so a reminder is claimed and sent once. */
export const reminderKey = (
  userId: string,
  courseId: string,
  cycleNo: number,
  reminder: { kind: string; day: string },
) => `${userId}:${courseId}:${cycleNo}:${reminder.kind}:${reminder.day}`;

/** A scheduled job's marker for one period (the nightly job's UTC day, the digest's week): done once. */
export const jobMarkerKey = (job: string, period: string) => `system:${job}:${period}`;

/** An audit event by sequence number, zero-padded: FerretDB uses its `_id` index for strings only. */
export const auditEventId = (seq: number): string => String(seq).padStart(12, '0');

/** The organisation profile and its saved logo: one document each. */
export const ORG_PROFILE_ID = 'org-profile';
export const ORG_LOGO_ID = 'org-logo';
/** A logo waiting on an admin's preview page, until saved or expired. */
export const orgLogoDraftKey = (draftId: string) => `org-logo-draft:${draftId}`;

/** A published policy version: `<courseId>:<n>` (insert-once, so a version number is taken once). */
export const policyVersionKey = (courseId: string, n: number) => `${courseId}:${n}`;

/** A learner's clause memory for a course (issue #23): one summary document. */
export const clauseMemoryKey = (userId: string, courseId: string) => `${userId}:${courseId}`;

/** A refresher cycle's test-out pre-assessment: one per cycle, beside the numbered attempts. */
export const pretestAttemptKey = (cycleId: string) => `${cycleId}:pretest`;

/** The clause-by-department mastery table at a quarter's end, e.g. `social-media-policy:2026-Q4`. */
export const masterySnapshotKey = (courseId: string, quarter: string) => `${courseId}:${quarter}`;

/** A graded answer kept for clause memory: an example in a cycle, an item of a practice session. */
export const clauseAnswerKey = (
  userId: string,
  courseId: string,
  source: 'example' | 'practice',
  scope: string,
  itemId: string,
) => `${userId}:${courseId}:${source}:${scope}:${itemId}`;

/** A learner's spaced practice between cycles: one per course and UTC day. */
export const practiceSessionKey = (userId: string, courseId: string, day: string) =>
  `${userId}:${courseId}:${day}`;
