import { generateKeyPairSync } from 'node:crypto';

/** A fresh Ed25519 key pair as PEM, for AUDIT_SIGNING_KEY and an auditor's public key file. */
export function newAuditKeyPair(): { privatePem: string; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}
