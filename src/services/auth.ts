import type { UserDoc } from '../db/models/user.js';
import type { UsersRepository } from '../db/repositories/users.js';
import type { SessionUser } from '../domain/roles.js';
import type { AuditLog } from './audit.js';
import { verifyPassword } from './passwords.js';

export interface LoginDeps {
  users: UsersRepository;
  audit: AuditLog;
}

export function toSessionUser(user: UserDoc): SessionUser {
  return { id: user._id, email: user.email, name: user.name, role: user.role, department: user.department };
}

/**
 * Checks a password login. Returns the user on success and null otherwise, without
 * saying why: unknown account, wrong password and inactive person look the same.
 */
export async function login(
  deps: LoginDeps,
  input: { email: string; password: string; ip: string },
  now: Date,
): Promise<SessionUser | null> {
  const user = await deps.users.findByEmail(input.email);
  const ok = await verifyPassword(user?.active ? user.passwordHash : null, input.password);
  if (!user || !ok) {
    await deps.audit.append(
      {
        actorId: user?._id ?? null,
        action: 'login.failure',
        targetType: 'user',
        targetId: user?._id ?? input.email.slice(0, 254).toLowerCase(),
        subjectId: user?._id ?? null,
        details: { ip: input.ip },
      },
      now,
    );
    return null;
  }
  await deps.audit.append(
    {
      actorId: user._id,
      action: 'login.success',
      targetType: 'user',
      targetId: user._id,
      subjectId: user._id,
      details: { ip: input.ip },
    },
    now,
  );
  return toSessionUser(user);
}
