import { Type } from 'typebox';
import { CHANGE_KINDS } from '../../../domain/policy-version.js';
import { formBody, Slug, Text } from '../../form-schema.js';

/**
 * Inputs of the policy pages. Text limits here are hard caps (a 400); the domain's smaller limits
 * (domain/policy-draft.ts CLAUSE_LIMITS) answer with a message on the field.
 */
export const ClauseId = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,79}$' });
export const Params = Type.Object({ courseId: Slug }, { additionalProperties: false });
export const VersionParams = Type.Object(
  { courseId: Slug, n: Type.String({ pattern: '^[1-9][0-9]{0,5}$' }) },
  { additionalProperties: false },
);
export const EditQuery = Type.Object({ clauseId: ClauseId }, { additionalProperties: false });
export const PageQuery = Type.Object(
  {
    done: Type.Optional(
      Type.Union([
        Type.Literal('edited'),
        Type.Literal('reverted'),
        Type.Literal('submitted'),
        Type.Literal('discarded'),
        Type.Literal('published'),
      ]),
    ),
  },
  { additionalProperties: false },
);
export const Kind = Type.Union(CHANGE_KINDS.map((k) => Type.Literal(k)));
export const EditBody = formBody({
  clauseId: ClauseId,
  title: Text(2000),
  summary: Text(4000),
  text: Text(50_000),
  kind: Kind,
});
export const ClauseBody = formBody({ clauseId: ClauseId });
export const SubmitBody = formBody({ note: Text(5000) });
export const EmptyBody = formBody({});
/** `revision`: the draft revision the approver reviewed (policy page's hidden field). */
export const ApproveBody = formBody({
  dueDate: Text(10),
  revision: Type.String({ pattern: '^[0-9]{1,9}$' }),
});
