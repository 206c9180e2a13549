import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { ChangeFeedPoller } from '../db/change-feed-poller.js';

/**
 * Polls the change feed (db/change-feed.ts) from the start of the app to its close, so sign-outs,
 * role changes, deactivations and people's changes made in another instance apply here within a
 * second. Stopped in preClose, before the database connection closes: no timer outlives the app.
 */
export default fp(
  async function changeFeed(app: FastifyInstance) {
    const poller = new ChangeFeedPoller(app.db.models, (err) =>
      app.log.warn({ err }, 'change feed: poll failed; retrying (other instances’ changes wait meanwhile)'),
    );
    app.decorate('changeFeedPoller', poller);
    // Awaited: the feed's position is known before the first request.
    app.addHook('onReady', async () => poller.start());
    app.addHook('preClose', async () => poller.stop());
  },
  { name: 'change-feed', dependencies: ['db'] },
);

declare module 'fastify' {
  interface FastifyInstance {
    /** This instance's change-feed poller (plugins/change-feed.ts). */
    changeFeedPoller: ChangeFeedPoller;
  }
}
