import yazl from 'yazl';

/**
 * 1980-01-01 local time: the DOS epoch. With `forceDosTimestamp` only the DOS date is written and
 * it is built from local calendar fields, so the bytes do not depend on the build machine's zone.
 */
const FIXED_MTIME = new Date(1980, 0, 1, 0, 0, 0);

/**
 * A deterministic zip: entries sorted by path, fixed timestamps and modes, no extra fields, so the
 * same files always give the same bytes (and the same checksum for a customer's change control).
 */
export function zipFiles(files: ReadonlyMap<string, Buffer>): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const name of [...files.keys()].sort()) {
    zip.addBuffer(files.get(name)!, name, {
      mtime: FIXED_MTIME,
      mode: 0o100644,
      compress: true,
      forceDosTimestamp: true,
    });
  }
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('error', reject);
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
  });
}
