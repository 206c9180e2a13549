import { generateKeyPairSync } from 'node:crypto';
import path from 'node:path';
import { parseSigningKey } from './domain/audit-anchor.js';
import { readOrCreateSecretFile, SecretFileError } from './secret-file.js';

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
  const name = 'the audit signing key file';
  let text: string;
  try {
    text = await readOrCreateSecretFile(
      file,
      () => generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      { name, orSet: ', or set AUDIT_SIGNING_KEY' },
    );
  } catch (err) {
    if (err instanceof SecretFileError) throw new AuditKeyError(err.message);
    throw err;
  }
  return pemOf(text, `${name} ${file}`);
}

function pemOf(text: string, source: string): string {
  try {
    return parseSigningKey(text).export({ type: 'pkcs8', format: 'pem' }).toString();
  } catch (err) {
    throw new AuditKeyError(`${source} ${(err as Error).message}`);
  }
}
