import { createHash, createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';

/**
 * Signed anchors of the audit chain. A hash chain alone can be rewritten by anyone who can write
 * the database: change an early event, recompute every later hash. Each hour the end of the chain
 * (sequence number and hash) is signed with an Ed25519 key kept outside the database, so a
 * rewritten chain no longer matches the signed ends, and the database alone cannot sign new ones.
 * Ed25519 rather than an HMAC: an auditor checks the anchors with the public key only, which
 * cannot sign.
 */

export const HOUR_MS = 3_600_000;

/** The UTC hour an anchor belongs to, which is also its `_id`: `2026-03-02T10`. */
export function anchorHour(at: Date): string {
  return at.toISOString().slice(0, 13);
}

/** The start of an anchor hour (`2026-03-02T10` → 10:00:00Z). */
export function hourStart(hour: string): Date {
  return new Date(`${hour}:00:00.000Z`);
}

export interface AnchorFields {
  /** The hour (`_id`). */
  id: string;
  seq: number;
  hash: string;
  at: Date;
  keyId: string;
}

/** The exact bytes an anchor's signature covers: every field, so none can be changed on its own. */
export function anchorMessage(a: AnchorFields): Buffer {
  return Buffer.from(
    ['policy-training audit anchor v1', a.id, String(a.seq), a.hash, a.at.toISOString(), a.keyId].join('\n'),
    'utf8',
  );
}

/** First 16 hex digits of the SHA-256 of the public key (SPKI DER): names the key in anchors and e-mails. */
export function keyIdOf(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return createHash('sha256')
    .update(pub.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);
}

export interface AnchorSigner {
  keyId: string;
  /** Base64 signature of the anchor's message. */
  sign(a: AnchorFields): string;
}

export interface AnchorVerifier {
  keyId: string;
  verify(a: AnchorFields, signature: string): boolean;
}

export function anchorSigner(privateKey: KeyObject): AnchorSigner {
  const keyId = keyIdOf(privateKey);
  return { keyId, sign: (a) => sign(null, anchorMessage(a), privateKey).toString('base64') };
}

export function anchorVerifier(publicKey: KeyObject): AnchorVerifier {
  const pub = publicKey.type === 'private' ? createPublicKey(publicKey) : publicKey;
  return {
    keyId: keyIdOf(pub),
    verify(a, signature) {
      try {
        return verify(null, anchorMessage(a), pub, Buffer.from(signature, 'base64'));
      } catch {
        return false;
      }
    },
  };
}

const PEM = /-----BEGIN [A-Z ]+-----/;

/**
 * An Ed25519 private key from a PEM text or the base64 of its PKCS#8 DER (the PEM body on one
 * line, handy in an environment variable). Throws an Error saying what is wrong.
 */
export function parseSigningKey(text: string): KeyObject {
  const trimmed = text.trim();
  let key: KeyObject;
  try {
    key = PEM.test(trimmed)
      ? createPrivateKey(trimmed)
      : createPrivateKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'pkcs8' });
  } catch {
    throw new Error('is not a private key (expected PEM, or the base64 of a PKCS#8 DER key)');
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new Error(`is a ${key.asymmetricKeyType ?? 'symmetric'} key, not Ed25519`);
  return key;
}

/** An Ed25519 public key from PEM (SPKI), or the public half of a private key PEM. */
export function parsePublicKey(text: string): KeyObject {
  let key: KeyObject;
  try {
    key = /PRIVATE KEY/.test(text) ? createPublicKey(createPrivateKey(text)) : createPublicKey(text);
  } catch {
    throw new Error('is not a PEM public key');
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new Error(`is a ${key.asymmetricKeyType ?? 'symmetric'} key, not Ed25519`);
  return key;
}

/**
 * The fingerprint the weekly digest mails: `<seq>:<hex>`, the event's sequence number and the
 * first 32 hex digits (128 bits) of its hash. Kept outside the database and the key, it pins
 * every event up to `seq`: rewriting them would need a SHA-256 second preimage of that prefix.
 */
export interface Fingerprint {
  seq: number;
  hashPrefix: string;
}

export const FINGERPRINT_HEX = 32;

export function formatFingerprint(end: { seq: number; hash: string }): string {
  return `${end.seq}:${end.hash.slice(0, FINGERPRINT_HEX)}`;
}

/** Also accepts 16 hex digits, the length digests mailed before signed anchors. */
export function parseFingerprint(text: string): Fingerprint | null {
  const m = /^0*(\d{1,12}):([0-9a-fA-F]{16,64})$/.exec(text.trim());
  if (!m) return null;
  const seq = Number(m[1]);
  return seq > 0 ? { seq, hashPrefix: m[2]!.toLowerCase() } : null;
}
