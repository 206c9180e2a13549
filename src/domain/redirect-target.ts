/**
 * Where the app may send a browser back to (the `next` of the sign-in page, and any other
 * redirect built from a value the request supplied). Only a path on the app's own site passes;
 * everything else becomes the fallback. Pure: the site's address is a parameter.
 */

/** Longer targets are not links the app makes; they only make headers and logs big. */
const MAX_TARGET_LENGTH = 2000;

/**
 * C0 and C1 control characters (newline, carriage return, tab, NUL, ...) and DEL: a newline cannot
 * go into a header, and URL parsers silently drop a tab, which turns `/\t/evil.example` into the
 * protocol-relative `//evil.example`. A backslash is read as `/` by browsers (`/\evil.example`).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what it matches
const UNSAFE_CHARACTER = /[\u0000-\u001f\u007f-\u009f\\]/;

/** `//host` and `/\host` name another site; a path starts with exactly one slash. */
function startsAsPath(target: string): boolean {
  return target.startsWith('/') && !target.startsWith('//');
}

/**
 * `candidate` as a same-site path (with its query and fragment) for a Location header, or null.
 * The WHATWG URL parser (what browsers use) resolves it against `baseUrl`: the result must keep
 * the site's origin, and its serialised path must still start with a single slash (dot segments
 * such as `/.//evil.example` normalise to `//evil.example`). The serialised form is what is
 * returned, so non-ASCII characters arrive percent-encoded and the value is always a valid header.
 */
export function sameSitePath(candidate: unknown, baseUrl: string): string | null {
  if (typeof candidate !== 'string' || candidate.length > MAX_TARGET_LENGTH) return null;
  if (!startsAsPath(candidate) || UNSAFE_CHARACTER.test(candidate)) return null;
  let base: URL;
  let resolved: URL;
  try {
    base = new URL(baseUrl);
    resolved = new URL(candidate, base);
  } catch {
    return null;
  }
  if (resolved.origin !== base.origin) return null;
  const path = `${resolved.pathname}${resolved.search}${resolved.hash}`;
  return startsAsPath(path) && !UNSAFE_CHARACTER.test(path) ? path : null;
}

/** `candidate` if it is a same-site path (see `sameSitePath`), otherwise `fallback`. */
export function safeRedirectPath(candidate: unknown, baseUrl: string, fallback = '/'): string {
  return sameSitePath(candidate, baseUrl) ?? fallback;
}
