/**
 * Certificate verification codes: 80 random bits written as 16 RFC 4648 base32 characters
 * in four groups (`K7QF-2MZD-9XRT-4HBC` style). Base32 avoids 0/1/8/9, which are easy to
 * misread on paper; 80 bits make guessing a valid code hopeless.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
export const CODE_BYTES = 10;
/** What the verify URL accepts (case-insensitive; codes are shown in upper case). */
export const CODE_PATTERN = '^[A-Za-z2-7]{4}-[A-Za-z2-7]{4}-[A-Za-z2-7]{4}-[A-Za-z2-7]{4}$';

export function formatCertificateCode(bytes: Uint8Array): string {
  if (bytes.length !== CODE_BYTES) throw new Error(`a certificate code needs ${CODE_BYTES} bytes`);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out.match(/.{4}/g)?.join('-') ?? out;
}

export function normaliseCertificateCode(code: string): string {
  return code.trim().toUpperCase();
}
