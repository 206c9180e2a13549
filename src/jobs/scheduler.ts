import { Cron } from 'croner';
import type { FastifyInstance } from 'fastify';
import { createMailer } from '../mail/transport.js';
import { runSweep } from '../services/sweep.js';

/**
 * Runs the refresher sweep on `config.SWEEP_SCHEDULE` ("off" disables it). Several app instances may
 * each run it: the sweep is idempotent and every reminder is claimed by a unique insert, so
 * overlapping runs never double-send. Within one process, `protect` skips a tick while a run is busy.
 */
export function startScheduler(app: FastifyInstance): Cron | null {
  if (app.config.SWEEP_SCHEDULE === 'off') return null;
  const mailer = createMailer(app.config, app.db.models);
  const job = new Cron(app.config.SWEEP_SCHEDULE, { protect: true, timezone: 'UTC' }, async () => {
    try {
      const report = await runSweep(
        {
          models: app.db.models,
          courses: app.courses,
          mailer,
          audit: app.audit,
          baseUrl: app.config.BASE_URL,
        },
        app.clock.now(),
      );
      app.log.info({ sweep: report }, 'refresher sweep finished');
    } catch (err) {
      app.log.error({ err }, 'refresher sweep failed');
    }
  });
  app.addHook('onClose', async () => {
    job.stop();
    mailer.close();
  });
  return job;
}
