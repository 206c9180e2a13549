import { type Config, readEnv } from '../../../src/config.js';

/** Fixed so the bench can sign session cookies for sessions it writes directly (see sessions.ts). */
export const BENCH_SESSION_SECRET = 'bench-session-secret-'.padEnd(64, 'b');

/**
 * The app as production runs it (cached views, production error pages, request logging at the
 * chosen level), but with the in-process sweep scheduler off so it cannot fire during a measurement.
 */
export function benchConfig(dbName: string, logLevel = 'warn'): Config {
  return {
    ...readEnv({
      NODE_ENV: 'production',
      LOG_LEVEL: logLevel,
      SWEEP_SCHEDULE: 'off',
      DEMO_DATA: 'false',
      DB_NAME: dbName,
    }),
    SESSION_SECRET: BENCH_SESSION_SECRET,
    BASE_URL: 'http://127.0.0.1:3000',
  };
}
