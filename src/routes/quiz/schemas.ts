import { Type } from 'typebox';
import { POST_VERDICTS } from '../../domain/course.js';
import { ObjectIdString, Slug } from '../form-schema.js';

export const CourseParams = Type.Object({ courseId: Slug }, { additionalProperties: false });

export const AttemptParams = Type.Object(
  { courseId: Slug, n: Type.Integer({ minimum: 1, maximum: 99 }) },
  { additionalProperties: false },
);

export const AttemptQuery = Type.Object(
  { saved: Type.Optional(Type.Literal('1')) },
  { additionalProperties: false },
);

/**
 * A choice is sent as its opaque per-attempt token (base64url, see services/quiz/choice-tokens.ts);
 * whether it names a choice of the question is checked against the attempt.
 */
const Token = Type.String({ pattern: '^[A-Za-z0-9_-]{1,32}$' });

/**
 * The quiz form, flat as @fastify/formbody parses it: `answers[<questionId>]` (one token, or several
 * for "all that apply") and `verdicts[<questionId>]`. Anything else, such as `answers[q1][$gt]`,
 * is an unknown key and a 400. Which questions and choices are valid is checked against the draw.
 */
export const AnswerBody = Type.Object(
  { _csrf: Type.Optional(Type.String({ maxLength: 200 })) },
  {
    additionalProperties: false,
    maxProperties: 201,
    patternProperties: {
      '^answers\\[[A-Za-z0-9_-]{1,80}\\]$': Type.Union([
        Token,
        Type.Array(Token, { minItems: 1, maxItems: 20 }),
      ]),
      '^verdicts\\[[A-Za-z0-9_-]{1,80}\\]$': Type.Union(POST_VERDICTS.map((v) => Type.Literal(v))),
    },
  },
);

export const PersonCourseParams = Type.Object(
  { userId: ObjectIdString, courseId: Slug },
  { additionalProperties: false },
);

export const GrantedQuery = Type.Object(
  { granted: Type.Optional(Type.Literal('1')) },
  { additionalProperties: false },
);

export const MAX_GRANT = 5;

export const GrantBody = Type.Object(
  {
    _csrf: Type.Optional(Type.String({ maxLength: 200 })),
    count: Type.Integer({ minimum: 1, maximum: MAX_GRANT }),
    // Emptiness is checked by the handler, so the form can show a friendly message in place.
    reason: Type.String({ maxLength: 500 }),
  },
  { additionalProperties: false },
);
