import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Secrets kept in a file beside the data, outside the database (the audit signing key, the SSO
 * encryption key): read if present, else created once with mode 0600. A file readable or writable by
 * group or others is refused rather than used (or silently tightened): whoever could read it could
 * have copied the secret, so the operator must know.
 */
export class SecretFileError extends Error {}

/**
 * The file's text, or `create()`'s, written with flag 'wx' so two processes starting at once never
 * overwrite each other's secret. `name` and `orSet` make the refusal say what the file is and what
 * else the operator can do ("the audit signing key file", ", or set AUDIT_SIGNING_KEY").
 */
export async function readOrCreateSecretFile(
  file: string,
  create: () => string,
  words: { name: string; orSet: string },
): Promise<string> {
  const existing = await readSecretFile(file, words);
  if (existing !== null) return existing;
  const text = create();
  await mkdir(path.dirname(file), { recursive: true });
  try {
    await writeFile(file, text, { mode: 0o600, flag: 'wx' });
    return text;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return (await readSecretFile(file, words)) ?? text;
  }
}

async function readSecretFile(file: string, words: { name: string; orSet: string }): Promise<string | null> {
  let mode: number;
  try {
    mode = (await stat(file)).mode;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  // Windows has no group/other permission bits to check.
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    const octal = (mode & 0o777).toString(8).padStart(4, '0');
    throw new SecretFileError(
      `${words.name} ${file} is readable or writable by group or others (mode ${octal}); ` +
        `restrict it with "chmod 600 ${file}"${words.orSet}`,
    );
  }
  return readFile(file, 'utf8');
}
