import argon2 from 'argon2';

// argon2id with the library defaults (m=64 MiB, t=3, p=4), as OWASP recommends.
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

// Verifying against a real hash when the account does not exist keeps the timing of a
// failed login the same either way, so it reveals nothing about which accounts exist.
let dummyHash: Promise<string> | null = null;

export async function verifyPassword(hash: string | undefined | null, password: string): Promise<boolean> {
  if (!hash) {
    dummyHash ??= hashPassword('not-a-real-password');
    await argon2.verify(await dummyHash, password).catch(() => false);
    return false;
  }
  return argon2.verify(hash, password).catch(() => false);
}
