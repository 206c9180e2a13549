/**
 * Keeps the question bank's text out of plain sight inside the package: UTF-8 JSON XORed with a
 * per-package key, then base64. This is obfuscation, not security: the key ships beside it. The
 * bank therefore holds no correct flags; answers are checked against salted digests (answer-key.ts).
 * Runs in Node (builder) and in the browser (SCO), so it uses only TextEncoder, btoa and atob.
 */

function xor(bytes: Uint8Array, key: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = bytes[i]! ^ key[i % key.length]!;
  return out;
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  // Chunked so String.fromCharCode never receives more arguments than the engine allows.
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

export function encodeData(value: unknown, key: string): string {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  return toBase64(xor(bytes, new TextEncoder().encode(key)));
}

export function decodeData<T>(encoded: string, key: string): T {
  const bytes = xor(fromBase64(encoded), new TextEncoder().encode(key));
  return JSON.parse(new TextDecoder().decode(bytes)) as T;
}
