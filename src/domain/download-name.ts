/**
 * `Content-Disposition: attachment` headers for downloads (RFC 6266, with RFC 8187 `filename*`).
 *
 * Download names are built from stored data (an employee id, a course id), and some of it is typed
 * by people: an employee id such as `a/../../../etc/x` or `Zoë "Q"` must never put a path, a quote
 * or a control character into the header. So every name is cleaned twice:
 * - the real name (`filename*`, UTF-8, percent-encoded) loses path separators, control characters
 *   and runs of dots, and keeps everything else, accents included;
 * - the fallback (`filename="…"`, for old clients) is plain ASCII letters, digits, `.`, `_` and `-`.
 */

const MAX_LENGTH = 150;
const FALLBACK_NAME = 'download';

/** Path separators, control characters (C0, DEL, C1) and the characters Windows forbids in names. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f/\\:*?"<>|]/g;

/** Keeps the extension when a long name is cut. */
function shorten(name: string): string {
  const chars = [...name];
  if (chars.length <= MAX_LENGTH) return name;
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 && name.length - dot <= 10 ? name.slice(dot) : '';
  return chars.slice(0, MAX_LENGTH - [...ext].length).join('') + ext;
}

/** Separators and controls become `_`, runs of dots one dot, and no name starts with a dot (hidden file). */
function tidy(name: string): string {
  const cleaned = name
    .normalize('NFC')
    .replace(UNSAFE, '_')
    .replace(/\.{2,}/g, '.')
    .replace(/^[.\s_]+/, '')
    .replace(/[.\s]+$/, '');
  return shorten(cleaned) || FALLBACK_NAME;
}

/** The name the header carries for the real name: UTF-8 percent-encoded, attr-char left as is. */
function encodeExtValue(name: string): string {
  return encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The ASCII-only fallback: accents dropped (é → e), anything else outside `[A-Za-z0-9._-]` → `_`. */
export function asciiFileName(name: string): string {
  const ascii = tidy(name)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/_{2,}/g, '_')
    .replace(/\.{2,}/g, '.')
    .replace(/^[._]+/, '');
  return ascii || FALLBACK_NAME;
}

/** The cleaned real name (what `filename*` carries, before encoding). */
export function safeFileName(name: string): string {
  return tidy(name);
}

/** `attachment; filename="<ascii>"; filename*=UTF-8''<real name>` for any download. */
export function attachmentDisposition(name: string): string {
  return `attachment; filename="${asciiFileName(name)}"; filename*=UTF-8''${encodeExtValue(safeFileName(name))}`;
}
