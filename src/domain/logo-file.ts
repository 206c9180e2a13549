/** Logo uploads: at most 200 KB, PNG (by its signature) or SVG (sanitised by services/organisation). */
export const MAX_LOGO_BYTES = 200 * 1024;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** A PNG starts with the 8-byte signature and then the IHDR chunk. */
export function isPng(bytes: Uint8Array): boolean {
  if (bytes.length < 24) return false;
  if (!PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return false;
  return String.fromCharCode(...bytes.subarray(12, 16)) === 'IHDR';
}

/** What the bytes are, from their content (never from the file name or the browser's claim). */
export function logoKind(bytes: Uint8Array): 'png' | 'svg' | null {
  if (isPng(bytes)) return 'png';
  const head = Buffer.from(bytes.subarray(0, 2048))
    .toString('utf8')
    .replace(/^\uFEFF/, '');
  return /^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*|<!DOCTYPE[^>]*>\s*)*<svg[\s>]/i.test(head) ? 'svg' : null;
}
