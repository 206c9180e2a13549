import type { CliContext } from '../../src/cli/types.js';
import type { TestApp } from './app.js';

/**
 * What `npm run lms` gives a command, built on a test app: its database, audit log and
 * `app.services` (outbox mail, as in tests), with output collected in `lines`.
 */
export function cliContext(t: TestApp, stdin = ''): { ctx: CliContext; lines: string[] } {
  const lines: string[] = [];
  const ctx: CliContext = {
    config: t.config,
    db: t.app.db,
    courses: t.app.courses,
    clock: t.clock,
    audit: t.app.audit,
    services: t.app.services,
    mailKind: 'outbox',
    out: (l: string) => lines.push(l),
    readStdin: async () => stdin,
  };
  return { ctx, lines };
}
