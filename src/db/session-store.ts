import type { Session } from 'fastify';
import type { Models } from './models/index.js';

type Callback = (err?: unknown) => void;

const DAY = 24 * 60 * 60 * 1000;

/**
 * Server-side session store for @fastify/session on our own connection.
 * Each session is read and written by `_id` (the one lookup FerretDB indexes), and
 * carries the user id so a role change or deactivation can end that user's sessions.
 * Expired sessions are deleted by a job: FerretDB has no TTL indexes.
 */
export function createSessionStore(models: Models, now: () => Date) {
  const { Session: SessionModel } = models;
  return {
    set(sid: string, session: Session, callback: Callback) {
      const plain = JSON.parse(JSON.stringify(session)) as Record<string, unknown> & {
        cookie?: { expires?: string };
        user?: { id?: string };
      };
      const expires = plain.cookie?.expires
        ? new Date(plain.cookie.expires)
        : new Date(now().getTime() + DAY);
      SessionModel.updateOne(
        { _id: sid },
        { $set: { data: plain, expiresAt: expires, userId: plain.user?.id ?? null } },
        { upsert: true },
      ).then(
        () => callback(),
        (err: unknown) => callback(err),
      );
    },
    get(sid: string, callback: (err: unknown, session?: Session | null) => void) {
      SessionModel.findById(sid)
        .lean()
        .then(
          (doc) => {
            if (!doc || doc.expiresAt.getTime() <= now().getTime()) return callback(null, null);
            callback(null, doc.data as unknown as Session);
          },
          (err: unknown) => callback(err),
        );
    },
    destroy(sid: string, callback: Callback) {
      SessionModel.deleteOne({ _id: sid }).then(
        () => callback(),
        (err: unknown) => callback(err),
      );
    },
  };
}

export function sessionsRepository(models: Models) {
  return {
    /** Ends every session of a user except, optionally, the current one. */
    async endSessionsOf(userId: string, exceptSid?: string): Promise<number> {
      const filter = exceptSid ? { userId, _id: { $ne: exceptSid } } : { userId };
      const res = await models.Session.deleteMany(filter);
      return res.deletedCount;
    },
    async deleteExpired(now: Date): Promise<number> {
      const res = await models.Session.deleteMany({ expiresAt: { $lte: now } });
      return res.deletedCount;
    },
  };
}
