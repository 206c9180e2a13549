/**
 * The loaded, validated course model. Content files under `courses/<id>/` are parsed and checked by
 * `src/content/` into these shapes; everything downstream (quiz engine, learner pages, SCORM export,
 * attestation) reads only these types, never the YAML.
 *
 * Every `id` in this file matches `ID_PATTERN`: letters, digits, `-` and `_` only. Ids are used as
 * Mongo map keys, URL segments and SCORM interaction ids, so dots and `$` are forbidden.
 * Ids are unique within their list (clauses, lessons, examples, questions, options of one question,
 * tree nodes). All `clauses: string[]` fields hold ids of `Course.clauses` and are checked at load.
 */

import type { Language } from './i18n/languages.js';
import type { Region } from './org-profile.js';

export const ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_-]*$';

// ---------------------------------------------------------------------------------------------
// Policy

export interface Clause {
  /** Stable id, e.g. "SMP-01". */
  id: string;
  /** Display number as it appears in the policy, e.g. "1" or "4.2". */
  number: string;
  title: string;
  /** The full clause wording (plain text, may contain line breaks). */
  text: string;
  /** One-line plain-language summary, used on the attestation page and in review screens. */
  summary: string;
  /**
   * Extra paragraphs that apply only in some jurisdictions (a legal notice such as the US NLRA
   * Section 7 notice), shown after the clause text to learners in one of them (domain/jurisdictions.ts).
   */
  notices?: ClauseNotice[];
}

/** A clause paragraph for some jurisdictions (codes of the profile's REGIONS, at least one). */
export interface ClauseNotice {
  jurisdictions: Region[];
  /** Plain text; a blank line starts a new paragraph, as in the clause text. */
  text: string;
}

// ---------------------------------------------------------------------------------------------
// Lessons

export interface Lesson {
  /** Slug, e.g. "think-before-you-post"; the file is `lessons/NN-<id>.md`. */
  id: string;
  title: string;
  objectives: string[];
  /** Clause ids this lesson teaches. */
  clauses: string[];
  /**
   * Sanitised HTML rendered once at load. Headings start at h2 (the page owns h1). A `::: notice us uk`
   * block becomes a section between `<!--notice:us,uk-->` and `<!--/notice-->` markers, which
   * `lessonHtmlFor` (domain/jurisdictions.ts) keeps or drops per learner.
   */
  html: string;
  /**
   * The lesson cut at its `##` headings, in order (the text before the first heading, if any, is a
   * section with heading ''). Each names the clauses it teaches (the author's tag on the heading, else
   * the lesson's `clauses`), so a refresher can show only the sections for the clauses a learner
   * still has to study. Joining every section's `html` gives `html` back.
   */
  sections: LessonSection[];
  /** Estimated reading time in minutes, if the author gave one. */
  minutes?: number;
}

export interface LessonSection {
  /** Slug of the heading, unique in the lesson ('' for the text before the first heading). */
  id: string;
  heading: string;
  clauses: string[];
  /** Sanitised HTML of the section, heading included (same markers as `Lesson.html`). */
  html: string;
}

// ---------------------------------------------------------------------------------------------
// Example posts

export const PLATFORMS = [
  'linkedin',
  'x',
  'facebook',
  'instagram',
  'tiktok',
  'youtube',
  'internal-chat',
  'reddit',
  'glassdoor',
  'whatsapp',
  'slack',
  'teams',
  'github',
  'threads',
  'bluesky',
] as const;
export type Platform = (typeof PLATFORMS)[number];

/**
 * `ask-first`: whether the post is fine depends on a fact the employee must check before posting
 * (is the client on the reference list, may this site be photographed).
 */
export const POST_VERDICTS = ['acceptable', 'ask-first', 'unacceptable'] as const;
export type PostVerdict = (typeof POST_VERDICTS)[number];

export interface Persona {
  name: string;
  /** Job title / team, shown under the name on the post card. */
  role: string;
}

/** What a post card needs to draw a post. Shared by example posts and classify/spot questions. */
export interface SocialPost {
  platform: Platform;
  persona: Persona;
  text: string;
  /** Description of an attached image (we draw a placeholder with this text, never load media). */
  image?: string;
  /**
   * Where the post appears, drawn on its card: a subreddit ("r/cscareerquestionsUK"), a chat
   * channel or group ("#team-platform", "Leeds Office Crew"), a repository ("kestrel/sensor-sdk").
   */
  where?: string;
}

export interface ExamplePost extends SocialPost {
  id: string;
  verdict: PostVerdict;
  /** Why the verdict is what it is; one short sentence each. */
  reasons: string[];
  clauses: string[];
  /**
   * A rewrite that would be acceptable. Always present when verdict is 'unacceptable'; optional for
   * 'ask-first' (a version that needs no check, such as one that leaves the client out).
   */
  betterVersion?: string;
}

// ---------------------------------------------------------------------------------------------
// "Can I share this?" decision tree

export interface DecisionOption {
  label: string;
  /** Id of the next node (question or outcome). */
  next: string;
}

/** What a tree question asks about, where a check depends on it (the start must ask about rights). */
export const DECISION_TOPICS = ['protected-rights'] as const;
export type DecisionTopic = (typeof DECISION_TOPICS)[number];

export interface DecisionQuestion {
  kind: 'question';
  id: string;
  question: string;
  help?: string;
  topic?: DecisionTopic;
  options: DecisionOption[];
}

export const SHARE_VERDICTS = ['share', 'dont-share', 'ask-first'] as const;
export type ShareVerdict = (typeof SHARE_VERDICTS)[number];

export interface DecisionOutcome {
  kind: 'outcome';
  id: string;
  verdict: ShareVerdict;
  title: string;
  text: string;
  clauses: string[];
}

export type DecisionNode = DecisionQuestion | DecisionOutcome;

export interface DecisionTree {
  /** Id of the first question. */
  start: string;
  /** Keyed by node id (each node's `id` equals its key). Every `next` points at a key here. */
  nodes: Record<string, DecisionNode>;
}

// ---------------------------------------------------------------------------------------------
// Question bank (discriminated on `type`)

export const DIFFICULTIES = ['easy', 'medium', 'hard'] as const;
export type Difficulty = (typeof DIFFICULTIES)[number];

export const QUESTION_TYPES = ['single', 'truefalse', 'multiple', 'classify', 'spot'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

/** An answer option; also used for the reasons of a classify question. */
export interface ChoiceOption {
  id: string;
  text: string;
  correct: boolean;
  /** Shown after answering, whether or not the learner picked it. */
  feedback: string;
}

/** One clickable piece of a spot-the-problem post. */
export interface SpotSegment {
  id: string;
  text: string;
  problem: boolean;
  feedback: string;
}

interface QuestionBase {
  id: string;
  prompt: string;
  clauses: string[];
  difficulty: Difficulty;
  /** General explanation shown in review, after the per-option feedback. */
  explanation: string;
  /**
   * Why the choices must keep the author's order (for example a spot post whose sentences answer
   * one another). Without it, options, reasons and segments are shuffled per attempt.
   */
  fixedOrder?: string;
  /** A fact to recall rather than a situation to judge: at most one is drawn per attempt. */
  recall?: boolean;
  /** Why one option may be much longer than the others (the bank linter flags it otherwise). */
  lengthReason?: string;
  /** Where the question is written (file in the course folder, 1-based line), for HR's item statistics. */
  source?: QuestionSource;
  /**
   * Drawn only for learners in one of these jurisdictions (a question on a local notice). Absent: any
   * learner may draw it. Such questions are extra: the course checks count only the others.
   */
  jurisdictions?: Region[];
}

export interface QuestionSource {
  file: string;
  line: number;
}

/** Exactly one option is correct. */
export interface SingleChoiceQuestion extends QuestionBase {
  type: 'single';
  options: ChoiceOption[];
}

/** Exactly two options, exactly one correct (conventionally "True" and "False"). */
export interface TrueFalseQuestion extends QuestionBase {
  type: 'truefalse';
  options: ChoiceOption[];
}

/** At least one option is correct and at least one is not (courses/quiz-format.md). */
export interface MultipleChoiceQuestion extends QuestionBase {
  type: 'multiple';
  options: ChoiceOption[];
  /** true: max(0, right ticked / right options − wrong ticked / wrong options); false: all-or-nothing. */
  partialCredit: boolean;
}

/** The learner picks a verdict, then the main reason. Exactly one reason is correct. */
export interface ClassifyQuestion extends QuestionBase {
  type: 'classify';
  post: SocialPost;
  verdict: PostVerdict;
  reasons: ChoiceOption[];
}

/**
 * The learner clicks the one problematic segment of the post. `post.text` is the segments' text
 * joined with single spaces (the loader fills it in, authors write only segments).
 */
export interface SpotQuestion extends QuestionBase {
  type: 'spot';
  post: SocialPost;
  segments: SpotSegment[];
}

export type Question =
  | SingleChoiceQuestion
  | TrueFalseQuestion
  | MultipleChoiceQuestion
  | ClassifyQuestion
  | SpotQuestion;

// ---------------------------------------------------------------------------------------------
// Quiz and recertification settings (defaults are applied by the loader)

export const REVIEW_LEVELS = ['full', 'scoreAndWeakClauses', 'scoreOnly'] as const;
/** What the learner sees after an attempt: everything, score plus clauses to revisit, or score only. */
export type ReviewLevel = (typeof REVIEW_LEVELS)[number];

export interface QuizSettings {
  questionsPerAttempt: number;
  /** Percent, 0–100. */
  passingScore: number;
  /** Attempts per certification cycle. */
  maxAttempts: number;
  /** Wait between a failed attempt and the next one. */
  cooldownMinutes: number;
  timeLimitMinutes?: number;
  review: {
    afterPass: ReviewLevel;
    /** After the last allowed attempt failed. */
    afterFinalFail: ReviewLevel;
    /** After a failed attempt that still leaves attempts (kept terse so retries are not answer-copying). */
    afterFail: ReviewLevel;
  };
}

export const QUIZ_DEFAULTS: QuizSettings = {
  questionsPerAttempt: 10,
  passingScore: 80,
  maxAttempts: 3,
  cooldownMinutes: 60,
  review: { afterPass: 'full', afterFinalFail: 'full', afterFail: 'scoreAndWeakClauses' },
};

export type RecertificationCycle =
  | { kind: 'rolling' }
  /** Every year on this date; month 1–12, day 1–31 (clamped to the month's length by the rules). */
  | { kind: 'calendar'; month: number; day: number };

export interface RecertificationDefaults {
  /** How long a completion stays valid. */
  validityMonths: number;
  /** The recertification window opens this many days before expiry. */
  windowDays: number;
  /** Count the new expiry from the completion date, or from the previous expiry (no lost days). */
  expiryBasis: 'completion' | 'previousExpiry';
  cycle: RecertificationCycle;
  /** Days after the due date before an overdue certification counts as expired. */
  graceDays: number;
}

export const RECERTIFICATION_DEFAULTS: RecertificationDefaults = {
  validityMonths: 12,
  windowDays: 30,
  expiryBasis: 'completion',
  cycle: { kind: 'rolling' },
  graceDays: 14,
};

// ---------------------------------------------------------------------------------------------
// Course

export interface Course {
  /** Folder name, e.g. "social-media-policy". */
  id: string;
  /**
   * The language of the course's text: the source language (en) for the course files, the
   * translation's for a course served from `i18n/<lang>/` (content/translation/). Absent = source.
   */
  language?: Language;
  title: string;
  summary: string;
  estimatedMinutes: number;
  /**
   * sha256 (hex) content version. As loaded: over every file in the course folder. As served
   * (services/courses/): over the files' version, the profile's placeholder values and the published
   * policy overlay. Any change gives a new version; attestations bind to it.
   */
  version: string;
  /** The published policy version number (domain/policy-version.ts); 1 = the course files as they are. */
  policyVersion: number;
  /** Title of the policy document the clauses belong to, e.g. "Social Media Policy". */
  policyTitle: string;
  clauses: Clause[];
  /** In reading order. */
  lessons: Lesson[];
  examples: ExamplePost[];
  decisionTree: DecisionTree;
  questions: Question[];
  quiz: QuizSettings;
  recertification: RecertificationDefaults;
}

// ---------------------------------------------------------------------------------------------
// Lookup helpers (lists are small, a linear scan is fine)

export function clauseById(course: Course, id: string): Clause | undefined {
  return course.clauses.find((c) => c.id === id);
}

export function lessonById(course: Course, id: string): Lesson | undefined {
  return course.lessons.find((l) => l.id === id);
}

export function exampleById(course: Course, id: string): ExamplePost | undefined {
  return course.examples.find((e) => e.id === id);
}

export function questionById(course: Course, id: string): Question | undefined {
  return course.questions.find((q) => q.id === id);
}

export function decisionNode(course: Course, id: string): DecisionNode | undefined {
  return Object.hasOwn(course.decisionTree.nodes, id) ? course.decisionTree.nodes[id] : undefined;
}
