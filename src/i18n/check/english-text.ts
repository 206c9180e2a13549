/**
 * When a piece of text is a person-readable English string rather than markup, data or an
 * identifier. Pure heuristics, tuned on this app's templates and code: false positives are cheaper
 * than misses (a line can be exempted with an `i18n-ignore` comment).
 */

/** Abbreviations that read the same in every shipped language (and product names). */
const SAME_IN_EVERY_LANGUAGE = new Set([
  'CSV',
  'PDF',
  'SCORM',
  'JSON',
  'HTML',
  'URL',
  'SAML',
  'OIDC',
  'SSO',
  'SCIM',
  'ID',
  'XML',
  'ZIP',
  'UTC',
  'API',
  'PNG',
  'SVG',
]);

function withoutEntities(text: string): string {
  return text.replace(/&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);/g, ' ');
}

/** A text node or visible attribute: any word of two or more Latin letters that is not an abbreviation. */
export function isVisibleEnglish(text: string): boolean {
  const words = withoutEntities(text).match(/[A-Za-z][A-Za-z'’-]*[A-Za-z]/g) ?? [];
  return words.some((w) => !SAME_IN_EVERY_LANGUAGE.has(w) && !/^[A-Z]{1,3}$/.test(w));
}

/** A message key ("learn.lesson.next"), a file name ("x.eta") or a dotted path: not prose. */
export function isKeyLike(text: string): boolean {
  return /^[A-Za-z][\w-]*(?:\.[\w-]+)+$/.test(text);
}

/**
 * A string literal in code that a person would read: a capitalised word ("Save changes",
 * "Email") or three plain lower-case words in a row. Keys, paths, URLs, CSS classes, ids and
 * attribute snippets are not.
 */
export function isProseLiteral(raw: string): boolean {
  const text = raw.replace(/\$\{[^}]*\}/g, ' ').trim();
  if (text === '' || isKeyLike(text)) return false;
  if (/^(?:https?:|mailto:|[/#.?]|\w+:\/\/)/.test(text)) return false;
  if (!/\s/.test(text) && /[/_=<>{}]/.test(text)) return false;
  if (/[<>="]/.test(text) && !/\s[A-Za-z]+\s[A-Za-z]+\s/.test(text.replace(/<[^>]*>|\w+="[^"]*"/g, ' ')))
    return false;
  if (!isVisibleEnglish(text)) return false;
  if (/(?:^|[\s(“"'])[A-Z][a-z]+(?:[\s.,:;!?)…’']|$)/.test(text) && !/^[A-Z][a-z]+[A-Z]/.test(text))
    return true;
  return (
    /(?:^|\s)[a-z]+[,;:]?\s+[a-z]+[,;:]?\s+[a-z]+(?:[\s.,:;!?]|$)/.test(text) &&
    !/(?:^|\s)[a-z]+-[a-z]/.test(text)
  );
}
