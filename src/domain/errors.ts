/**
 * The one vocabulary for a request that cannot be done. Services and domain rules throw these;
 * `plugins/errors.ts` maps each to its HTTP status once, so nothing below the routes knows HTTP.
 * The message is shown to the person, so it says what to do, never an internal detail. It is a
 * message key of the interface catalogues ("quiz.errors.attemptClosed", src/i18n/messages/), shown
 * in the person's language with `values` filled in; older messages still written in English are
 * shown as they are.
 */
export type ErrorValues = Record<string, string | number | Date>;

export class DomainError extends Error {
  override readonly name: string = 'DomainError';
  constructor(
    message: string,
    readonly values?: ErrorValues,
  ) {
    super(message);
  }
}

/** The thing does not exist, or belongs to someone else (never say which). */
export class NotFound extends DomainError {
  override readonly name = 'NotFound';
}

/** The request contradicts the current state (already done, already revoked, a closed attempt). */
export class Conflict extends DomainError {
  override readonly name = 'Conflict';
}

/** The input breaks a rule the schema could not express (a reason too short once trimmed). */
export class Invalid extends DomainError {
  override readonly name = 'Invalid';
}

/** One problem of a form: a message key (or older English text) and its values. */
export interface Problem {
  message: string;
  values?: ErrorValues;
}

/**
 * Several problems with one form, told together (each translated, then joined). Its own message
 * is the first problem, so a page that knows only `Invalid` still says something true.
 */
export class InvalidAll extends Invalid {
  constructor(readonly problems: readonly Problem[]) {
    super(problems[0]?.message ?? '', problems[0]?.values);
  }
}

/** Signed in, but this person may not do this. */
export class Forbidden extends DomainError {
  override readonly name = 'Forbidden';
}

/** Too many attempts; `retryAfterSeconds` says when to try again. */
export class TooManyAttempts extends DomainError {
  override readonly name = 'TooManyAttempts';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
    values?: ErrorValues,
  ) {
    super(message, values);
  }
}
