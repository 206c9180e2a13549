import type { CliContext } from '../../src/cli/types.js';
import type { TestApp } from './app.js';

/**
 * What `npm run lms` gives a command, built on a test app: its `app.services` (outbox mail, as
 * in tests), with output collected in `lines`.
 */
export function cliContext(t: TestApp, stdin = ''): { ctx: CliContext; lines: string[] } {
  const lines: string[] = [];
  const ctx: CliContext = {
    config: t.config,
    courses: t.app.courses,
    clock: t.clock,
    services: t.app.services,
    mailKind: 'outbox',
    out: (l: string) => lines.push(l),
    readStdin: async () => stdin,
  };
  return { ctx, lines };
}
