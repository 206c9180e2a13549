import type { Connection } from 'mongoose';
import { type AuditEventDoc, auditEventSchema } from './audit-event.js';
import { type SessionDoc, sessionSchema } from './session.js';
import { type LoginKeyDoc, loginKeySchema, type UserDoc, userSchema } from './user.js';

/** Every model, defined on one connection (never on the global mongoose instance). */
export function defineModels(conn: Connection) {
  return {
    User: conn.model<UserDoc>('User', userSchema),
    LoginKey: conn.model<LoginKeyDoc>('LoginKey', loginKeySchema),
    Session: conn.model<SessionDoc>('Session', sessionSchema),
    AuditEvent: conn.model<AuditEventDoc>('AuditEvent', auditEventSchema),
  };
}

export type Models = ReturnType<typeof defineModels>;

export async function ensureIndexes(models: Models): Promise<void> {
  await Promise.all(Object.values(models).map((m: { init(): Promise<unknown> }) => m.init()));
}
