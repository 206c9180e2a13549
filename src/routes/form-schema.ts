import { type TProperties, Type } from 'typebox';

/**
 * Body schema for an HTML form: exactly these fields plus the CSRF token.
 * Unknown fields (including operator-injection keys such as `answer[$gt]`) are rejected with a 400.
 */
export function formBody<P extends TProperties>(properties: P) {
  return Type.Object(
    { ...properties, _csrf: Type.Optional(Type.String({ maxLength: 200 })) },
    { additionalProperties: false },
  );
}

/** A short single-line text field. */
export const Text = (maxLength = 200, minLength = 0) => Type.String({ minLength, maxLength });

/** Route ids (course, lesson, example ids): letters, digits and dashes only. */
export const Slug = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,79}$' });

export const ObjectIdString = Type.String({ pattern: '^[a-f0-9]{24}$' });
