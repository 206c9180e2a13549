import type { Config } from '../config.js';
import type { Clock } from '../domain/clock.js';
import type { Course } from '../domain/course.js';
import type { Mailer } from '../mail/transport.js';
import type { Services } from '../services/index.js';

export interface CliArgs {
  positionals: string[];
  flags: Record<string, string | boolean>;
}

export interface CliContext {
  config: Config;
  courses: Map<string, Course>;
  clock: Clock;
  /**
   * Every use case, wired once for the run on its database, audit log and own mailer
   * (services/index.ts), as the app wires `app.services`. Throws, as `mailKind` does, for commands
   * declared with `needsDatabase: false`, which never start a database.
   */
  services: Services;
  /** How the run's mail goes out: SMTP, or the outbox HR reads. */
  mailKind: Mailer['kind'];
  out(line: string): void;
  /** Reads all of standard input (for piped passwords or files). */
  readStdin(): Promise<string>;
}

export interface CliCommand {
  name: string;
  usage: string;
  /** Set false for commands that work on files only. */
  needsDatabase?: boolean;
  /** Set false for commands that must run even when course content is invalid. */
  needsCourses?: boolean;
  run(ctx: CliContext, args: CliArgs): Promise<number>;
}

export class CliUsageError extends Error {}

export function stringFlag(args: CliArgs, name: string): string | undefined {
  const v = args.flags[name];
  return typeof v === 'string' ? v : undefined;
}

export function requireFlag(args: CliArgs, name: string): string {
  const v = stringFlag(args, name);
  if (!v) throw new CliUsageError(`--${name} is required`);
  return v;
}
