import { generateKeyPairSync } from 'node:crypto';
import { chmod, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, readEnv } from '../../../src/config.js';
import { keyIdOf, parseFingerprint, parseSigningKey } from '../../../src/domain/audit-anchor.js';
import { newAuditKeyPair } from '../../helpers/audit-key.js';

const KEY_FILE = 'audit-signing-key.pem';
const tempDir = () => mkdtemp(path.join(tmpdir(), 'audit-key-'));

describe('the audit signing key', () => {
  it('is created on first start under DATA_DIR with mode 0600, then reused', async () => {
    const dir = await tempDir();
    const first = await loadConfig({ DATA_DIR: dir });
    const file = path.join(dir, KEY_FILE);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(first.AUDIT_SIGNING_KEY).toBe(await readFile(file, 'utf8'));
    expect(parseSigningKey(first.AUDIT_SIGNING_KEY!).asymmetricKeyType).toBe('ed25519');
    const again = await loadConfig({ DATA_DIR: dir });
    expect(again.AUDIT_SIGNING_KEY).toBe(first.AUDIT_SIGNING_KEY);
  });

  it('refuses a key file readable by group or others, naming the file and the fix', async () => {
    const dir = await tempDir();
    const file = path.join(dir, KEY_FILE);
    await writeFile(file, newAuditKeyPair().privatePem, { mode: 0o600 });
    await chmod(file, 0o644);
    const refused = loadConfig({ DATA_DIR: dir });
    await expect(refused).rejects.toThrow(ConfigError);
    await expect(loadConfig({ DATA_DIR: dir })).rejects.toThrow(
      `the audit signing key file ${file} is readable or writable by group or others (mode 0644); restrict it with "chmod 600 ${file}"`,
    );
    await chmod(file, 0o600);
    await expect(loadConfig({ DATA_DIR: dir })).resolves.toBeDefined();
  });

  it('refuses a key file that holds no Ed25519 key', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, KEY_FILE), 'not a key', { mode: 0o600 });
    await expect(loadConfig({ DATA_DIR: dir })).rejects.toThrow(
      /audit signing key file .* is not a private key/,
    );
  });

  it('takes AUDIT_SIGNING_KEY as PEM or as base64 DER, and then writes no file', async () => {
    const dir = await tempDir();
    const { privatePem } = newAuditKeyPair();
    const fromPem = await loadConfig({ DATA_DIR: dir, AUDIT_SIGNING_KEY: privatePem });
    const der = parseSigningKey(privatePem).export({ type: 'pkcs8', format: 'der' }).toString('base64');
    const fromDer = await loadConfig({ DATA_DIR: dir, AUDIT_SIGNING_KEY: der });
    expect(keyIdOf(parseSigningKey(fromDer.AUDIT_SIGNING_KEY!))).toBe(keyIdOf(parseSigningKey(privatePem)));
    expect(fromPem.AUDIT_SIGNING_KEY).toBe(fromDer.AUDIT_SIGNING_KEY);
    await expect(stat(path.join(dir, KEY_FILE))).rejects.toThrow(/ENOENT/);
  });

  it('names AUDIT_SIGNING_KEY when its value is not an Ed25519 private key', () => {
    expect(() => readEnv({ AUDIT_SIGNING_KEY: 'hunter2' })).toThrow(
      /^Invalid configuration: AUDIT_SIGNING_KEY is not a private key/,
    );
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    expect(() => readEnv({ AUDIT_SIGNING_KEY: rsa })).toThrow(/AUDIT_SIGNING_KEY is a rsa key, not Ed25519/);
  });
});

describe('digest fingerprints', () => {
  it('parse as <event number>:<hex>, also the 16-digit ones mailed before signed anchors', () => {
    expect(parseFingerprint('000123:AB12cd34ef56ab78ab12cd34ef56ab78')).toEqual({
      seq: 123,
      hashPrefix: 'ab12cd34ef56ab78ab12cd34ef56ab78',
    });
    expect(parseFingerprint('6:ab12cd34ef56ab78')).toEqual({ seq: 6, hashPrefix: 'ab12cd34ef56ab78' });
    for (const bad of ['abc', '0:ab12cd34ef56ab78', '12:ab12', '12:zz12cd34ef56ab78', ':ab12cd34ef56ab78'])
      expect(parseFingerprint(bad), bad).toBeNull();
  });
});
