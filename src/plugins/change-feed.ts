import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { SharedSetting } from '../db/change-feed.js';
import { ChangeFeedPoller } from '../db/change-feed-poller.js';
import { forgetProfile } from '../services/organisation/profile.js';
import { forgetXapiConfig } from '../services/xapi/record.js';

/**
 * Polls the change feed (db/change-feed.ts) from the start of the app to its close, so sign-outs,
 * role changes, deactivations, people's changes and settings changes (the organisation profile, a
 * published policy version, the LRS settings) made in another instance apply here within a second.
 * Stopped in preClose, before the database connection closes: no timer outlives the app.
 */
export default fp(
  async function changeFeed(app: FastifyInstance) {
    const poller = new ChangeFeedPoller(app.db.models, (err) =>
      // A failed poll (its error) or a failed settings listener (the poll went on: an error whose cause is the listener's).
      app.log.warn({ err }, 'change feed: a poll or a change listener failed (polling goes on)'),
    );
    app.decorate('changeFeedPoller', poller);
    // Awaited: the feed's position is known before the first request.
    app.addHook('onReady', async () => {
      // Registered here: the catalogue (plugins/services.ts) is decorated after this plugin.
      poller.onSettingChanged((changed) => readSettingsAgain(app, changed));
      await poller.start();
    });
    app.addHook('preClose', async () => poller.stop());
  },
  { name: 'change-feed', dependencies: ['db'] },
);

/**
 * Drops this process's copies of what another instance changed: the next page reads the profile and
 * the LRS setting again; the courses as served are re-resolved now (the profile names the
 * organisation in them; a policy version or a clause translation changes their wording).
 */
async function readSettingsAgain(app: FastifyInstance, changed: readonly SharedSetting[]): Promise<void> {
  const models = app.db.models;
  if (changed.includes('profile')) forgetProfile(models);
  if (changed.includes('xapi')) forgetXapiConfig({ models });
  if (changed.includes('profile') || changed.includes('policy')) await app.catalogue.refresh({ force: true });
}

declare module 'fastify' {
  interface FastifyInstance {
    /** This instance's change-feed poller (plugins/change-feed.ts). */
    changeFeedPoller: ChangeFeedPoller;
  }
}
