/**
 * Rules for a new password, after NIST SP 800-63B §3.1.1.2: length is what matters, counted in
 * Unicode code points after NFKC normalisation; any character is allowed (spaces too, but not only
 * spaces); no composition rules; refuse values known to be common or breached, repetitive or
 * sequential ones, and ones built from the account's own e-mail. Pure: the caller supplies the list.
 */

export const MIN_PASSWORD_CODE_POINTS = 12;
/** Long passphrases are welcome; the cap only bounds the hashing work per request. */
export const MAX_PASSWORD_CODE_POINTS = 256;

/**
 * NFKC, as NIST recommends before hashing, so the same password typed on another keyboard or
 * input method (full-width letters, composed accents) is the same password.
 */
export function normalisePassword(password: string): string {
  return password.normalize('NFKC');
}

function codePoints(s: string): string[] {
  return Array.from(s);
}

/** True for a run of one short unit repeated ("aaaa…", "abab…", "123123…"). */
function isRepetitive(chars: string[]): boolean {
  for (let unit = 1; unit <= 4 && unit * 2 <= chars.length; unit += 1) {
    if (chars.every((c, i) => c === chars[i % unit])) return true;
  }
  return false;
}

/** True for an ascending or descending run of characters ("123456789012" wraps, "abcdefghijkl"). */
function isSequential(chars: string[]): boolean {
  const steps = chars.slice(1).map((c, i) => c.codePointAt(0)! - chars[i]!.codePointAt(0)!);
  const ok = (d: number, wrapped: number) => steps.every((s) => s === d || s === wrapped);
  // '9' → '0' continues an ascending digit run, '0' → '9' a descending one.
  return ok(1, -9) || ok(-1, 9);
}

export interface PasswordContext {
  /** The account's e-mail: its local part must not be the password's substance. */
  email?: string;
  /** The list check (common and breached passwords), compared in lower case. */
  isCommon(lowercased: string): boolean;
}

/** Why a password is refused: a message key of the interface catalogues ("auth.password.*") and its values. */
export interface PasswordProblem {
  key: string;
  values?: Record<string, number>;
}

const problem = (rule: string, values?: Record<string, number>): PasswordProblem => ({
  key: `auth.password.${rule}`,
  values,
});

/** Why this password is refused, for the person choosing it (shown in their language); null when it is acceptable. */
export function passwordProblem(password: string, ctx: PasswordContext): PasswordProblem | null {
  const normal = normalisePassword(password);
  const chars = codePoints(normal);
  if (normal.trim() === '') return problem('onlySpaces');
  if (chars.length < MIN_PASSWORD_CODE_POINTS)
    return problem('tooShort', { min: MIN_PASSWORD_CODE_POINTS, count: chars.length });
  if (chars.length > MAX_PASSWORD_CODE_POINTS) return problem('tooLong', { max: MAX_PASSWORD_CODE_POINTS });
  const lower = normal.toLowerCase();
  const lowerChars = codePoints(lower.trim());
  if (isRepetitive(lowerChars) || isSequential(lowerChars)) return problem('predictable');
  if (ctx.isCommon(lower) || ctx.isCommon(lower.trim())) return problem('common');
  const lettersAndDigits = (s: string) => s.replace(/[^\p{L}\p{N}]/gu, '');
  const local = lettersAndDigits(ctx.email?.split('@')[0]?.toLowerCase() ?? '');
  if (local.length >= 4 && lettersAndDigits(lower).includes(local)) return problem('containsEmail');
  return null;
}
