import type { Models } from '../db/models/index.js';
import type { Course } from '../domain/course.js';
import type { Mailer } from '../mail/transport.js';
import type { AuditLog } from './audit/log.js';
import type { Catalogue } from './courses/catalogue.js';
import type { PasswordHashCost } from './identity/passwords.js';
import type { SsoEnvironment } from './identity/sso/settings.js';

/**
 * What every service command works with, built once at start-up (plugins/services.ts, the CLI)
 * and never per request. A command is `(ctx, input) => result` with one typed input object
 * (`now` included), so call sites name every argument.
 */
export interface ServiceContext {
  models: Models;
  /** The courses as served (placeholders filled, published policy applied), re-resolved in place by `catalogue`. */
  courses: Map<string, Course>;
  /** The course templates, and the refresh that keeps `courses` current with the profile and published policy. */
  catalogue: Catalogue;
  audit: AuditLog;
  mailer: Mailer;
  /** Absolute address used in e-mails, certificates and verify links. */
  baseUrl: string;
  /** The erasure ledger file (DATA_DIR/erasures/<DB_NAME>.jsonl) an erasure is added to; unset: none written. */
  erasureLedger?: string;
  /** Single sign-on settings from the environment and where its encryption key is (identity/sso). */
  sso?: SsoEnvironment;
  /** The argon2 cost for passwords the app hashes; unset: production's (config passwordHashCost, tests only). */
  passwordHashCost?: PasswordHashCost;
  /** XAPI_ALLOWED_HOSTS: LRS hosts that may be http or private (domain/xapi/lrs-address.ts); unset: none. */
  xapiAllowedHosts?: readonly string[];
  /**
   * Keys the sign-in throttle's record ids (HMAC-SHA256; the app passes SESSION_SECRET, which every
   * instance shares), so a copy of the database cannot be searched for an IP address or an e-mail
   * address, as a plain hash of the few billion IPv4 addresses could. Unset (the CLI): no sign-in.
   */
  throttleKey?: string;
  /** Where a command that must not fail its caller reports what went wrong (the app's logger). */
  log?: { error(details: object, message: string): void };
}

// biome-ignore lint/suspicious/noExplicitAny: a command may take any input; Bound keeps its real type
type Command = (ctx: ServiceContext, ...args: any[]) => unknown;

/** An area's commands with the context already given: `services.quiz.startAttempt({ ... })`. */
export type Bound<T extends Record<string, Command>> = {
  [K in keyof T]: T[K] extends (ctx: ServiceContext, ...args: infer A) => infer R ? (...args: A) => R : never;
};

export function bindCommands<T extends Record<string, Command>>(ctx: ServiceContext, commands: T): Bound<T> {
  const bound: Record<string, unknown> = {};
  for (const [name, command] of Object.entries(commands))
    bound[name] = (...args: unknown[]) => command(ctx, ...args);
  return bound as Bound<T>;
}
