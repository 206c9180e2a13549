import type { Config } from '../config.js';
import type { Db } from '../db/connection.js';
import type { DatabaseStatus } from '../db/database-server.js';
import type { Access } from '../domain/access.js';
import type { Clock } from '../domain/clock.js';
import type { SessionUser } from '../domain/roles.js';
import type { Translator } from '../i18n/translator.js';
import type { AuditLog } from '../services/audit/log.js';
import type { Metrics } from '../services/operations/metrics.js';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    clock: Clock;
    db: Db;
    audit: AuditLog;
    /** The embedded database's supervision (never restarting with MONGODB_URI), for /readyz. */
    databaseStatus: DatabaseStatus;
    /** This app's Prometheus metrics (plugins/metrics.ts); null when metrics are off. */
    metrics: Metrics | null;
    /** Every registered route with its declared access, for the authorization matrix. */
    routeTable: Array<{ method: string; url: string; access: Access; bodyLimit?: number }>;
  }
  interface FastifyRequest {
    user: SessionUser | null;
    /** The page language's messages and formats (plugins/i18n.ts); null before the preHandler. */
    i18n: Translator | null;
  }
  interface FastifyReply {
    /** Template data merged into every view (see plugins/views.ts). */
    locals: Record<string, unknown>;
  }
  interface FastifyContextConfig {
    /** Required on every route: who may use it (see domain/access.ts). */
    access?: Access;
    /**
     * Set false only for state-changing routes that authenticate otherwise: the SCIM bearer API, and
     * the SAML ACS (a cross-site POST from the IdP whose signed answer, bound to the session's request,
     * is the protection; routes/auth/saml.ts).
     */
    csrf?: boolean;
    /** Set true only where a redirect must leave the site: to the identity provider (routes/auth/oidc.ts). */
    offSiteRedirect?: boolean;
    /**
     * Set true on a learner-facing page outside `/learn/` that shows courses (My training, My team): its
     * course lookups answer in the page language, with the fallback notice (plugins/courses.ts).
     */
    courseLanguage?: boolean;
  }
  interface Session {
    user?: SessionUser;
  }
}
