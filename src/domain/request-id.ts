import { randomBytes } from 'node:crypto';

/** Crockford's base32: digits and capitals without I, L, O and U, so an id read aloud is not misheard. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A request id a person can read to support from an error page ("7K3QF-9XM2A"): 50 random bits,
 * ten characters in two groups. Random rather than a counter, so ids from several app instances
 * and restarts never collide in the shared logs (a clash needs about 30 million ids in one search).
 */
export function readableRequestId(): string {
  const bytes = randomBytes(7);
  let bits = 0n;
  for (const byte of bytes) bits = (bits << 8n) | BigInt(byte);
  let out = '';
  for (let i = 0; i < 10; i += 1) {
    out += ALPHABET[Number(bits & 31n)];
    bits >>= 5n;
  }
  return `${out.slice(0, 5)}-${out.slice(5)}`;
}
