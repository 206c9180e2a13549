import { DomainError } from '../errors.js';

/** RFC 7644 §3.12 `scimType` values this provider uses. */
export type ScimType =
  | 'invalidFilter'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'invalidValue'
  | 'noTarget'
  | 'uniqueness'
  | 'mutability';

/**
 * A SCIM request that cannot be done, with its RFC 7644 `scimType`. The SCIM routes answer
 * `uniqueness` with 409 and the others with 400; `NotFound` stays the domain's own.
 */
export class ScimProblem extends DomainError {
  override readonly name = 'ScimProblem';
  constructor(
    readonly scimType: ScimType,
    message: string,
  ) {
    super(message);
  }
}
