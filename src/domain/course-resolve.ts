import { createHash } from 'node:crypto';
import type { Course } from './course.js';
import { CONTACT_KINDS, type ContactKind, type OrgProfile, placeholderValues } from './org-profile.js';
import { placeholdersIn } from './placeholders.js';
import { BASELINE_POLICY_VERSION, type PolicyOverlay } from './policy-version.js';

/**
 * A course AS SERVED: the course files (the template, placeholders unfilled) with the published
 * policy overlay applied and every `{{placeholder}}` filled from the organisation profile. Pure:
 * services/courses/ keeps the templates and re-resolves the served courses when the profile or the
 * published policy changes; policy previews call it with a draft overlay.
 */
export interface ResolveInput {
  /** Placeholder name → plain-text value (`servedPlaceholderValues`). */
  values: ReadonlyMap<string, string>;
  overlay: PolicyOverlay;
  /**
   * A translated course's stand-ins for the placeholders the profile leaves empty (its translation.yaml
   * `placeholders:`), fitted to the word before them; their values hold the plain phrase.
   */
  standIns?: StandIns;
}

/**
 * What a placeholder says in a translation's language while the profile has no value for it: a
 * phrase, and the form it takes after particular words (German "bei Ihrer Organisation", dative,
 * where the phrase is "Ihre Organisation"). Keys of `after` are lower case.
 */
export interface StandIn {
  phrase: string;
  after?: Readonly<Record<string, string>>;
}
export type StandIns = ReadonlyMap<string, StandIn>;

/**
 * The HTML escape the content layer uses for text inside lesson HTML (markdown-it's `escapeHtml`:
 * & < > "), so a filled value reads exactly like text the author wrote. The unit test holds the two equal.
 */
export function escapeHtmlText(text: string): string {
  return text.replace(/[&<>"]/g, (c) => HTML_ENTITIES[c]!);
}
const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

// ---------------------------------------------------------------------------------------------
// Values for an install whose admin has not saved a profile yet

const CONTACT_FALLBACKS: Record<ContactKind, { name: string; channel: string }> = {
  comms: { name: 'your communications team', channel: 'the communications contact' },
  hr: { name: 'your HR team', channel: 'the HR contact' },
  security: { name: 'your security team', channel: 'the security contact' },
  privacy: { name: 'your data protection officer', channel: 'the privacy contact' },
  whistleblowing: { name: 'your whistleblowing channel', channel: 'the whistleblowing contact' },
};

/**
 * What a placeholder says when the profile has no value for it: a neutral phrase that reads in a
 * sentence ("ask the HR contact", "posts about your organisation"). Capitalised at a sentence's start.
 */
export const PLACEHOLDER_FALLBACKS: ReadonlyMap<string, string> = new Map([
  ['org.name', 'your organisation'],
  ['org.shortName', 'your organisation'],
  ['org.tag', 'YourOrganisation'],
  ['org.clientListUrl', 'the approved client reference list'],
  ['org.regions', 'the countries where you work'],
  ...CONTACT_KINDS.flatMap((kind) => [
    [`contact.${kind}`, CONTACT_FALLBACKS[kind].channel] as const,
    [`contact.${kind}.name`, CONTACT_FALLBACKS[kind].name] as const,
  ]),
]);

/** The placeholders that name the organisation: "your organisation" until an admin saves a profile. */
const NAME_PLACEHOLDERS = ['org.name', 'org.shortName', 'org.tag'];

/**
 * The values a served course is filled with: the profile's, with the fallbacks for what is empty.
 * Before an admin saves a profile (`updatedAt` null) the organisation is "your organisation", not
 * the default header's neutral product name.
 */
export function servedPlaceholderValues(profile: OrgProfile): ReadonlyMap<string, string> {
  const values = new Map(placeholderValues(profile));
  for (const name of standingIn(profile)) values.set(name, PLACEHOLDER_FALLBACKS.get(name)!);
  return values;
}

/**
 * The placeholders the profile has no value for, which a course fills with a stand-in (English:
 * PLACEHOLDER_FALLBACKS; a translation: its own): empty fields, and the name before a first save.
 */
export function standingIn(profile: OrgProfile): ReadonlySet<string> {
  const out = new Set<string>();
  const unsaved = profile.updatedAt === null;
  for (const [name, value] of placeholderValues(profile)) {
    const unsavedName = unsaved && NAME_PLACEHOLDERS.includes(name);
    if (PLACEHOLDER_FALLBACKS.has(name) && (value.trim() === '' || unsavedName)) out.add(name);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Filling

const FALLBACK_VALUES = new Set(PLACEHOLDER_FALLBACKS.values());
/** Inline tags, which do not start a sentence: `<em>on behalf of</em> your organisation` stays lower case. */
const INLINE_TAG = /<\/?(?:a|abbr|b|code|del|em|i|kbd|s|span|strong|sub|sup)\b[^>]*>/gi;
/**
 * Text before a placeholder that starts a sentence: nothing, a full stop or colon, a block tag, a
 * blank line or list item in plain text, an opening quote. (A lone line break is the source's wrapping.)
 */
const SENTENCE_START = /(?:^|[.!?:]["”’)]?\s+|>\s*|\n\s*\n\s*|\n\s*[-*]\s+|^["“‘]|\s["“‘])$/;
/**
 * A determiner before the name ("every your organisation employee" reads "every organisation
 * employee"). Not "a"/"an": content:check refuses them before an organisation placeholder, and
 * dropping "your" after one made "a organisation developer".
 */
const DETERMINER = /\b(?:the|every|each|any|this|that|our)\s+$/i;

/**
 * A fallback phrase fitted to the text before it: without its "your" after a determiner, and with
 * a capital at a sentence's start. Real profile values are used exactly as the admin typed them.
 */
function fitted(value: string, before: string): string {
  if (!FALLBACK_VALUES.has(value)) return value;
  const tail = before.slice(-200).replace(INLINE_TAG, '');
  const phrase = value.startsWith('your ') && DETERMINER.test(tail) ? value.slice('your '.length) : value;
  return SENTENCE_START.test(tail) ? phrase.charAt(0).toUpperCase() + phrase.slice(1) : phrase;
}

/**
 * SENTENCE_START for a translation's stand-in: not after a colon (Spanish and German go on in lower
 * case there), and after the opening marks those languages use (¿ ¡ „ «).
 */
const TRANSLATED_SENTENCE_START =
  /(?:^|[.!?]["”’“»)]?\s+|>\s*|\n\s*\n\s*|\n\s*[-*]\s+|^["“‘„«¿¡]|\s["“‘„«¿¡])$/;
/** The last word before a placeholder, lower case ("bei" in "Niemand bei {{org.name}}"). */
const WORD_BEFORE = /(\p{L}+)\s*$/u;

/**
 * A translation's stand-in fitted to the text before it: its form after that word if it has one,
 * with a capital at a sentence's start (a no-op in scripts without case).
 */
function fittedStandIn(standIn: StandIn, before: string): string {
  const tail = before.slice(-200).replace(INLINE_TAG, '');
  const word = WORD_BEFORE.exec(tail)?.[1]?.toLowerCase();
  const phrase = (word !== undefined && standIn.after?.[word]) || standIn.phrase;
  return TRANSLATED_SENTENCE_START.test(tail) ? phrase.charAt(0).toUpperCase() + phrase.slice(1) : phrase;
}

/**
 * Replaces every known placeholder in `text` with `encode(value)`; unknown names stay as written
 * (content:check refuses them). A fallback or stand-in phrase is fitted to its place in the sentence.
 */
function fill(
  text: string,
  values: ReadonlyMap<string, string>,
  encode: (v: string) => string,
  standIns?: StandIns,
): string {
  if (!text.includes('{{')) return text;
  let out = '';
  let at = 0;
  for (const use of placeholdersIn(text)) {
    const end = text.indexOf('}}', use.index) + 2;
    const value = values.get(use.name);
    const standIn = standIns?.get(use.name);
    out += text.slice(at, use.index);
    if (value === undefined) out += text.slice(use.index, end);
    else out += encode(standIn ? fittedStandIn(standIn, out) : fitted(value, out));
    at = end;
  }
  return out + text.slice(at);
}

/**
 * Plain text filled as the served course's plain-text fields are (values as typed, fallbacks and a
 * translation's stand-ins fitted): for words kept outside the course, such as a published version's
 * recorded changes.
 */
export function fillPlainText(
  text: string,
  values: ReadonlyMap<string, string>,
  standIns?: StandIns,
): string {
  return fill(text, values, (v) => v, standIns);
}

/** markdown-it percent-encodes a link target, so `[list]({{org.clientListUrl}})` reaches the HTML like this. */
const ENCODED_IN_HREF = /%7B%7B(?:%20)*([A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z][A-Za-z0-9]*)*)(?:%20)*%7D%7D/gi;
const SAFE_LINK = /^(?:https?:\/\/|mailto:)/i;
const EMAIL = /^[^\s@]+@[^\s@]+$/;

/** A value placed in a link target: a web or mail address, or `#` for anything else (a chat channel, a fallback phrase). */
function linkTarget(value: string): string {
  if (SAFE_LINK.test(value)) return escapeHtmlText(value);
  if (EMAIL.test(value)) return escapeHtmlText(`mailto:${value}`);
  return '#';
}

function fillHtml(html: string, values: ReadonlyMap<string, string>, standIns?: StandIns): string {
  const linked = html.replace(ENCODED_IN_HREF, (whole, name: string) => {
    const value = values.get(name);
    return value === undefined ? whole : linkTarget(value);
  });
  return fill(linked, values, escapeHtmlText, standIns);
}

/** Fields whose strings are HTML (escaped values); every other string is plain text the templates escape. */
const isHtmlField = (key: string) => key === 'html' || key.endsWith('Html');

/** Every string in a course value filled (a deep copy). Ids never contain braces, so they come out as they went in. */
function fillDeep(value: unknown, input: ResolveInput, html: boolean): unknown {
  if (typeof value === 'string')
    return html
      ? fillHtml(value, input.values, input.standIns)
      : fillPlainText(value, input.values, input.standIns);
  if (Array.isArray(value)) return value.map((item) => fillDeep(item, input, html));
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = fillDeep(item, input, html || isHtmlField(key));
  return out;
}

/** Every placeholder name used anywhere in a value's strings. */
function namesUsed(value: unknown, into: Set<string>): Set<string> {
  if (typeof value === 'string') {
    for (const use of placeholdersIn(value)) into.add(use.name);
    for (const m of value.matchAll(ENCODED_IN_HREF)) into.add(m[1]!);
  } else if (Array.isArray(value)) for (const item of value) namesUsed(item, into);
  else if (value !== null && typeof value === 'object')
    for (const item of Object.values(value)) namesUsed(item, into);
  return into;
}

function withOverlay(template: Course, overlay: PolicyOverlay): Course {
  const clauses = template.clauses.map((clause) => {
    const wording = Object.hasOwn(overlay.clauses, clause.id) ? overlay.clauses[clause.id] : undefined;
    return wording
      ? { ...clause, title: wording.title, summary: wording.summary, text: wording.text }
      : clause;
  });
  return { ...template, clauses, policyVersion: overlay.n };
}

/**
 * sha256 over the files' version, the values of the placeholders the course uses (sorted by name)
 * and the overlay (its number and clause wordings, sorted by clause id). Same inputs, same hash.
 */
export function servedVersion(template: Course, input: ResolveInput, used: ReadonlySet<string>): string {
  const values = [...used].sort().map((name) => [name, input.values.get(name) ?? null]);
  const clauses = Object.keys(input.overlay.clauses)
    .sort()
    .map((id) => [
      id,
      input.overlay.clauses[id]!.title,
      input.overlay.clauses[id]!.summary,
      input.overlay.clauses[id]!.text,
    ]);
  // A translation's stand-in forms are hashed with it; a course without them hashes as it always did.
  const standIns = [...(input.standIns ?? [])]
    .filter(([name]) => used.has(name))
    .sort(([a], [b]) => a.localeCompare(b));
  const payload = JSON.stringify({
    files: template.version,
    values,
    overlay: { n: input.overlay.n, clauses },
    ...(standIns.length > 0 ? { standIns } : {}),
  });
  return createHash('sha256').update(payload).digest('hex');
}

/**
 * The course as served: overlay applied, placeholders filled, version re-hashed. The template is not
 * changed. A course without placeholders under the files' own policy is served as it is (same version).
 */
export function resolveCourse(template: Course, input: ResolveInput): Course {
  const overlaid = withOverlay(template, input.overlay);
  const used = namesUsed(overlaid, new Set());
  const baseline =
    input.overlay.n === BASELINE_POLICY_VERSION && Object.keys(input.overlay.clauses).length === 0;
  if (used.size === 0 && baseline) return overlaid;
  const filled = fillDeep(overlaid, input, false) as Course;
  return { ...filled, id: template.id, version: servedVersion(template, input, used) };
}
