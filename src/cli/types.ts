import type { Config } from '../config.js';
import type { Db } from '../db/connection.js';
import type { Clock } from '../domain/clock.js';
import type { Course } from '../domain/course.js';
import type { AuditLog } from '../services/audit/log.js';

export interface CliArgs {
  positionals: string[];
  flags: Record<string, string | boolean>;
}

export interface CliContext {
  config: Config;
  /** Throws for commands declared with `needsDatabase: false`, which never start one. */
  db: Db;
  courses: Map<string, Course>;
  clock: Clock;
  audit: AuditLog;
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
