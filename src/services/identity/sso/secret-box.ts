import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import path from 'node:path';
import { decodeKey32 as decodeKey } from '../../../domain/sso/key.js';
import { readOrCreateSecretFile } from '../../../secret-file.js';

export const SSO_KEY_FILE = 'sso-encryption-key';

/**
 * The AES-256 key for the SSO client secret: SSO_ENCRYPTION_KEY when set, else
 * `DATA_DIR/sso-encryption-key`, created on first use with mode 0600 (as the audit signing key is
 * kept). The key lives outside the database so a database copy alone does not reveal the secret;
 * a key file readable by group or others is refused.
 */
export async function resolveSsoKey(fromEnv: string | undefined, dataDir: string): Promise<Buffer> {
  if (fromEnv !== undefined) {
    const key = decodeKey(fromEnv);
    if (!key) throw new Error('SSO_ENCRYPTION_KEY must be 32 bytes as 64 hex characters or base64');
    return key;
  }
  const file = path.resolve(dataDir, SSO_KEY_FILE);
  const text = await readOrCreateSecretFile(file, () => `${randomBytes(32).toString('hex')}\n`, {
    name: 'the SSO key file',
    orSet: ', or set SSO_ENCRYPTION_KEY',
  });
  const key = decodeKey(text);
  if (!key) throw new Error(`the SSO key file ${file} does not hold 32 bytes as hex`);
  return key;
}

const b64 = (b: Buffer) => b.toString('base64url');

/** AES-256-GCM: `v1.<iv>.<tag>.<ciphertext>`; the tag makes a tampered value fail to open. */
export function seal(key: Buffer, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', b64(iv), b64(cipher.getAuthTag()), b64(body)].join('.');
}

export function open(key: Buffer, sealed: string): string {
  const [version, iv, tag, body] = sealed.split('.');
  if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('not a sealed SSO secret');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}
