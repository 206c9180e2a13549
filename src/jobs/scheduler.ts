import { Cron } from 'croner';
import type { FastifyInstance } from 'fastify';
import { createMailer } from '../mail/transport.js';
import { runNightly } from '../services/jobs/nightly.js';
import { runSweep, type SweepDeps } from '../services/jobs/sweep.js';

/**
 * Runs the refresher sweep on `config.SWEEP_SCHEDULE` and the nightly job on
 * `config.NIGHTLY_SCHEDULE` ("off" disables either). Several app instances may each run them: the
 * sweep is idempotent, every reminder is claimed by a unique insert, and the nightly job by a day
 * marker, so overlapping runs never double-send. Within one process the two jobs take turns (a
 * job's reads would otherwise hold up the other's writes on FerretDB), and `protect` skips a tick
 * while the same job is still busy or waiting its turn.
 */
export function startScheduler(app: FastifyInstance): Cron[] {
  const { SWEEP_SCHEDULE, NIGHTLY_SCHEDULE } = app.config;
  if (SWEEP_SCHEDULE === 'off' && NIGHTLY_SCHEDULE === 'off') return [];
  const mailer = createMailer(app.config, app.db.models);
  const deps: SweepDeps = {
    models: app.db.models,
    courses: app.courses,
    mailer,
    audit: app.audit,
    baseUrl: app.config.BASE_URL,
  };
  let turn: Promise<void> = Promise.resolve();
  const inTurn = (key: string, name: string, run: () => Promise<object>) => () => {
    const mine = turn.then(async () => {
      try {
        app.log.info({ [key]: await run() }, `${name} finished`);
      } catch (err) {
        app.log.error({ err }, `${name} failed`);
      }
    });
    turn = mine;
    return mine;
  };
  const jobs: Cron[] = [];
  const schedule = (pattern: string, key: string, name: string, run: () => Promise<object>) => {
    if (pattern === 'off') return;
    jobs.push(new Cron(pattern, { protect: true, timezone: 'UTC' }, inTurn(key, name, run)));
  };
  schedule(SWEEP_SCHEDULE, 'sweep', 'refresher sweep', () => runSweep(deps, app.clock.now()));
  schedule(NIGHTLY_SCHEDULE, 'nightly', 'nightly job', () => runNightly(deps, app.clock.now()));
  app.addHook('onClose', async () => {
    for (const job of jobs) job.stop();
    mailer.close();
  });
  return jobs;
}
