// Run from `npm install` (postinstall): builds the embedded database once.
// With MONGODB_URI set the embedded database is not needed, so a missing Go is only a warning.
import { ensureFerretdbBinary, MissingGoError } from './build.js';

try {
  await ensureFerretdbBinary();
} catch (err) {
  if (err instanceof MissingGoError && process.env.MONGODB_URI) {
    console.warn(`[ferretdb] skipped: ${err.message}`);
  } else {
    console.error(`[ferretdb] ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}
