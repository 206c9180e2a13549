import { changeFeed, type SharedSetting } from '../db/change-feed.js';
import type { ServiceContext } from './context.js';

/**
 * Tells the other instances that a setting they keep in memory changed (called after it is written
 * and this process's copy refreshed): each reads it again within a second (plugins/change-feed.ts).
 * A failed announcement is logged, not thrown: the change stands, and the other instances still
 * follow it at their own next re-read (the catalogue's REFRESH_MS, the profile's CACHE_MS, the LRS
 * setting's ON_KEPT_MS).
 */
export async function announceSettingChanged(
  ctx: Pick<ServiceContext, 'models' | 'log'>,
  what: SharedSetting,
): Promise<void> {
  try {
    await changeFeed(ctx.models).publish({ kind: 'setting', what });
  } catch (err) {
    ctx.log?.error(
      { err, what },
      'change feed: a setting change not announced; other instances follow at their next re-read',
    );
  }
}
