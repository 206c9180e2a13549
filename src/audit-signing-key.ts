import { generateKeyPairSync } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseSigningKey } from './domain/audit-anchor.js';

export const AUDIT_KEY_FILE = 'audit-signing-key.pem';

/** A key that cannot be used; the message names where it came from and what to do. */
export class AuditKeyError extends Error {}

/**
 * The Ed25519 key that signs the audit anchors, as PEM: from AUDIT_SIGNING_KEY when set, else
 * from `DATA_DIR/audit-signing-key.pem`, created on first start with mode 0600. The key lives
 * outside the database on purpose: someone who can write the database cannot sign anchors.
 * A key file readable by group or others is refused rather than used (or silently tightened):
 * whoever could read it could have forged anchors, so the operator must know.
 */
export async function resolveAuditSigningKey(fromEnv: string | undefined, dataDir: string): Promise<string> {
  if (fromEnv !== undefined) return pemOf(fromEnv, 'AUDIT_SIGNING_KEY');
  const file = path.resolve(dataDir, AUDIT_KEY_FILE);
  const existing = await readKeyFile(file);
  if (existing !== null) return existing;
  const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  await mkdir(path.dirname(file), { recursive: true });
  try {
    // 'wx': two processes starting at once never overwrite each other's key.
    await writeFile(file, pem, { mode: 0o600, flag: 'wx' });
    return pem;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return (await readKeyFile(file)) ?? pem;
  }
}

function pemOf(text: string, source: string): string {
  try {
    return parseSigningKey(text).export({ type: 'pkcs8', format: 'pem' }).toString();
  } catch (err) {
    throw new AuditKeyError(`${source} ${(err as Error).message}`);
  }
}

async function readKeyFile(file: string): Promise<string | null> {
  let mode: number;
  try {
    mode = (await stat(file)).mode;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  // Windows has no group/other permission bits to check.
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    const octal = (mode & 0o777).toString(8).padStart(4, '0');
    throw new AuditKeyError(
      `the audit signing key file ${file} is readable or writable by group or others (mode ${octal}); ` +
        `restrict it with "chmod 600 ${file}", or set AUDIT_SIGNING_KEY`,
    );
  }
  return pemOf(await readFile(file, 'utf8'), `the audit signing key file ${file}`);
}
