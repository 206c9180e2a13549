import { type Static, Type } from 'typebox';
import {
  DECISION_TOPICS,
  DIFFICULTIES,
  ID_PATTERN,
  PLATFORMS,
  POST_VERDICTS,
  QUESTION_TYPES,
  REVIEW_LEVELS,
  SHARE_VERDICTS,
} from '../domain/course.js';
import { REGIONS } from '../domain/org-profile.js';

/**
 * The shape of each content file, as authors write it. Every object rejects unknown fields so a
 * typo (`verdcit:`) is an error rather than a silently ignored value. Limits are generous but
 * finite: they stop runaway content, not authors.
 */

const strict = { additionalProperties: false } as const;

const Id = Type.String({ pattern: ID_PATTERN, maxLength: 64 });
const Text = Type.String({ minLength: 1, maxLength: 4000 });
const ShortText = Type.String({ minLength: 1, maxLength: 300 });
const ClauseRefs = Type.Array(Id, { minItems: 1, maxItems: 20 });
const PositiveInt = (maximum: number) => Type.Integer({ minimum: 1, maximum });
/** Jurisdiction codes are the organisation profile's regions (`us`, `uk`, `eu`, `ca`, `au`, `other`). */
const Jurisdictions = Type.Array(Type.Enum([...REGIONS]), {
  minItems: 1,
  maxItems: REGIONS.length,
  uniqueItems: true,
});

// ----------------------------------------------------------------------------- course.yaml

const ReviewLevel = Type.Enum([...REVIEW_LEVELS]);

export const QuizSettingsSchema = Type.Object(
  {
    questionsPerAttempt: Type.Optional(PositiveInt(200)),
    passingScore: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    maxAttempts: Type.Optional(PositiveInt(100)),
    cooldownMinutes: Type.Optional(Type.Integer({ minimum: 0, maximum: 60 * 24 * 30 })),
    timeLimitMinutes: Type.Optional(PositiveInt(600)),
    review: Type.Optional(
      Type.Object(
        {
          afterPass: Type.Optional(ReviewLevel),
          afterFinalFail: Type.Optional(ReviewLevel),
          afterFail: Type.Optional(ReviewLevel),
        },
        strict,
      ),
    ),
  },
  strict,
);

export const RecertificationSchema = Type.Object(
  {
    validityMonths: Type.Optional(PositiveInt(120)),
    windowDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 365 })),
    expiryBasis: Type.Optional(Type.Enum(['completion', 'previousExpiry'])),
    // One object for both kinds keeps error messages simple; rules.ts checks month/day per kind.
    cycle: Type.Optional(
      Type.Object(
        {
          kind: Type.Enum(['rolling', 'calendar']),
          month: Type.Optional(Type.Integer({ minimum: 1, maximum: 12 })),
          day: Type.Optional(Type.Integer({ minimum: 1, maximum: 31 })),
        },
        strict,
      ),
    ),
    graceDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 365 })),
  },
  strict,
);

export const CourseFileSchema = Type.Object(
  {
    id: Id,
    title: ShortText,
    summary: Text,
    estimatedMinutes: PositiveInt(1000),
    /** Lesson ids in reading order; each has a file lessons/NN-<id>.md. */
    lessons: Type.Array(Id, { minItems: 1, maxItems: 100 }),
    quiz: Type.Optional(QuizSettingsSchema),
    recertification: Type.Optional(RecertificationSchema),
  },
  strict,
);
export type CourseFile = Static<typeof CourseFileSchema>;

// ----------------------------------------------------------------------------- policy.yaml

export const PolicyFileSchema = Type.Object(
  {
    title: ShortText,
    clauses: Type.Array(
      Type.Object(
        {
          id: Id,
          number: Type.String({ minLength: 1, maxLength: 16 }),
          title: ShortText,
          summary: ShortText,
          text: Text,
          /** Paragraphs shown after the text only to learners in one of their jurisdictions. */
          notices: Type.Optional(
            Type.Array(Type.Object({ jurisdictions: Jurisdictions, text: Text }, strict), {
              minItems: 1,
              maxItems: 20,
            }),
          ),
        },
        strict,
      ),
      { minItems: 1, maxItems: 200 },
    ),
  },
  strict,
);
export type PolicyFile = Static<typeof PolicyFileSchema>;

// ----------------------------------------------------------------------------- lessons/*.md

export const LessonFrontMatterSchema = Type.Object(
  {
    title: ShortText,
    objectives: Type.Array(ShortText, { minItems: 1, maxItems: 12 }),
    clauses: ClauseRefs,
    minutes: Type.Optional(PositiveInt(240)),
  },
  strict,
);
export type LessonFrontMatter = Static<typeof LessonFrontMatterSchema>;

// ----------------------------------------------------------------------------- examples.yaml

const Persona = Type.Object({ name: ShortText, role: ShortText }, strict);
const Platform = Type.Enum([...PLATFORMS]);

const PostSchema = Type.Object(
  {
    platform: Platform,
    persona: Persona,
    text: Text,
    image: Type.Optional(Text),
    where: Type.Optional(ShortText),
  },
  strict,
);

export const ExamplesFileSchema = Type.Object(
  {
    examples: Type.Array(
      Type.Object(
        {
          id: Id,
          platform: Platform,
          persona: Persona,
          text: Text,
          image: Type.Optional(Text),
          where: Type.Optional(ShortText),
          verdict: Type.Enum([...POST_VERDICTS]),
          reasons: Type.Array(Text, { minItems: 1, maxItems: 10 }),
          clauses: ClauseRefs,
          betterVersion: Type.Optional(Text),
        },
        strict,
      ),
      { minItems: 1, maxItems: 500 },
    ),
  },
  strict,
);
export type ExamplesFile = Static<typeof ExamplesFileSchema>;

// ----------------------------------------------------------------------------- decision-tree.yaml
// Nodes are a list (authors keep them in reading order); `kind` picks the node schema. Validating
// in two steps (kind first, then the matching schema) gives one clear error instead of a union's
// "matches none of" noise.

export const DecisionTreeFileSchema = Type.Object(
  { start: Id, nodes: Type.Array(Type.Unknown(), { minItems: 2, maxItems: 500 }) },
  strict,
);

export const DecisionNodeKindSchema = Type.Object({ kind: Type.Enum(['question', 'outcome']) });

export const DecisionQuestionSchema = Type.Object(
  {
    id: Id,
    kind: Type.Literal('question'),
    question: Text,
    help: Type.Optional(Text),
    topic: Type.Optional(Type.Enum([...DECISION_TOPICS])),
    options: Type.Array(Type.Object({ label: ShortText, next: Id }, strict), { minItems: 2, maxItems: 10 }),
  },
  strict,
);

export const DecisionOutcomeSchema = Type.Object(
  {
    id: Id,
    kind: Type.Literal('outcome'),
    verdict: Type.Enum([...SHARE_VERDICTS]),
    title: ShortText,
    text: Text,
    clauses: ClauseRefs,
  },
  strict,
);

// ----------------------------------------------------------------------------- quiz.yaml
// Same two-step approach as the tree: `type` first, then the schema for that type.

export const QuizFileSchema = Type.Object(
  { questions: Type.Array(Type.Unknown(), { minItems: 1, maxItems: 2000 }) },
  strict,
);

export const QuestionTypeSchema = Type.Object({ type: Type.Enum([...QUESTION_TYPES]) });

const ChoiceOption = Type.Object({ id: Id, text: Text, correct: Type.Boolean(), feedback: Text }, strict);
const Options = Type.Array(ChoiceOption, { minItems: 2, maxItems: 10 });

const questionBase = {
  id: Id,
  prompt: Text,
  clauses: ClauseRefs,
  difficulty: Type.Enum([...DIFFICULTIES]),
  explanation: Text,
  fixedOrder: Type.Optional(ShortText),
  recall: Type.Optional(Type.Boolean()),
  lengthReason: Type.Optional(ShortText),
  /** Drawn only for learners in one of these jurisdictions. */
  jurisdictions: Type.Optional(Jurisdictions),
};

export const QuestionSchemas = {
  single: Type.Object({ ...questionBase, type: Type.Literal('single'), options: Options }, strict),
  truefalse: Type.Object(
    {
      ...questionBase,
      type: Type.Literal('truefalse'),
      options: Type.Array(ChoiceOption, { minItems: 2, maxItems: 2 }),
    },
    strict,
  ),
  multiple: Type.Object(
    { ...questionBase, type: Type.Literal('multiple'), options: Options, partialCredit: Type.Boolean() },
    strict,
  ),
  classify: Type.Object(
    {
      ...questionBase,
      type: Type.Literal('classify'),
      post: PostSchema,
      verdict: Type.Enum([...POST_VERDICTS]),
      reasons: Options,
    },
    strict,
  ),
  // The post text is the segments joined by spaces, so authors don't write it twice.
  spot: Type.Object(
    {
      ...questionBase,
      type: Type.Literal('spot'),
      post: Type.Object(
        { platform: Platform, persona: Persona, image: Type.Optional(Text), where: Type.Optional(ShortText) },
        strict,
      ),
      segments: Type.Array(
        Type.Object({ id: Id, text: Text, problem: Type.Boolean(), feedback: Text }, strict),
        { minItems: 2, maxItems: 12 },
      ),
    },
    strict,
  ),
} as const;

export type QuestionFile = { [K in keyof typeof QuestionSchemas]: Static<(typeof QuestionSchemas)[K]> };
