/** A 32-byte key (SSO_ENCRYPTION_KEY) from 64 hex characters or base64; null for anything else. */
export function decodeKey32(text: string): Buffer | null {
  const t = text.trim();
  const bytes = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  return bytes.length === 32 ? bytes : null;
}
