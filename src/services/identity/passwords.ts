import argon2 from 'argon2';
import { normalisePassword, type PasswordProblem, passwordProblem } from '../../domain/password-policy.js';

/** argon2id's cost: memory in KiB, passes, lanes. A hash records its own, so verifying needs none. */
export interface PasswordHashCost {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/** The library defaults (m=64 MiB, t=3, p=4), as OWASP recommends: every real deployment's cost. */
export const PRODUCTION_HASH_COST: Readonly<PasswordHashCost> = {
  memoryCost: 65536,
  timeCost: 3,
  parallelism: 4,
};

// argon2id at PRODUCTION_HASH_COST unless told otherwise (only tests are: config passwordHashCost).
// The password is NFKC-normalised first (NIST SP 800-63B), at hashing and at every check.
export function hashPassword(
  password: string,
  cost: PasswordHashCost = PRODUCTION_HASH_COST,
): Promise<string> {
  return argon2.hash(normalisePassword(password), { type: argon2.argon2id, ...cost });
}

// Verifying against a real hash when the account does not exist keeps the timing of a
// failed login the same either way, so it reveals nothing about which accounts exist.
let dummyHash: Promise<string> | null = null;

export async function verifyPassword(hash: string | undefined | null, password: string): Promise<boolean> {
  if (!hash) {
    dummyHash ??= hashPassword('not-a-real-password');
    await argon2.verify(await dummyHash, normalisePassword(password)).catch(() => false);
    return false;
  }
  const normal = normalisePassword(password);
  if (await argon2.verify(hash, normal).catch(() => false)) return true;
  // Hashes made before normalisation was added hold the password as typed (differs only for
  // passwords with characters NFKC changes).
  return normal !== password && argon2.verify(hash, password).catch(() => false);
}

/**
 * The list of common and breached passwords shipped by @zxcvbn-ts/language-common (about 49,000,
 * from breach corpora), loaded on the first password check rather than at every start.
 */
let commonPasswords: Promise<Set<string>> | null = null;
function loadCommonPasswords(): Promise<Set<string>> {
  commonPasswords ??= import('@zxcvbn-ts/language-common').then(
    ({ dictionary }) => new Set(dictionary['passwords-common'].map((p) => p.toLowerCase())),
  );
  return commonPasswords;
}

/** Why a new password is refused (a message key and values), or null: use before every hashPassword of a chosen password. */
export async function newPasswordProblem(password: string, email?: string): Promise<PasswordProblem | null> {
  const common = await loadCommonPasswords();
  return passwordProblem(password, { email, isCommon: (p) => common.has(p) });
}
