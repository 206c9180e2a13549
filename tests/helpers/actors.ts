import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Role } from '../../src/domain/roles.js';
import { Session, TEST_PASSWORD } from './app.js';

/**
 * The seven actors of the authorization matrix, all from the demo organisation:
 * employee@demo.test and ava.adams@demo.test are both in Sales, managed by manager@demo.test;
 * engineering.lead@demo.test manages another team.
 */
export const ACTOR_NAMES = [
  'anonymous',
  'employee',
  'otherEmployee',
  'manager',
  'otherManager',
  'hr',
  'admin',
] as const;
export type ActorName = (typeof ACTOR_NAMES)[number];
export type SignedInActor = Exclude<ActorName, 'anonymous'>;

export const ACTOR_EMAILS: Record<SignedInActor, string> = {
  employee: 'employee@demo.test',
  otherEmployee: 'ava.adams@demo.test',
  manager: 'manager@demo.test',
  otherManager: 'engineering.lead@demo.test',
  hr: 'hr@demo.test',
  admin: 'admin@demo.test',
};

let ipCounter = 0;
/** A distinct client address per session, so the per-IP login limit is only hit where a test means to. */
export function nextTestIp(): string {
  ipCounter += 1;
  return `10.${(ipCounter >> 16) & 255}.${(ipCounter >> 8) & 255}.${ipCounter & 255}`;
}

/** A Session that always comes from its own client address. */
export class ClientSession extends Session {
  constructor(
    app: FastifyInstance,
    readonly ip: string = nextTestIp(),
  ) {
    super(app);
  }

  override request(opts: InjectOptions): Promise<LightMyRequestResponse> {
    return super.request({ remoteAddress: this.ip, ...opts });
  }
}

export interface Actor {
  name: ActorName;
  role: Role | null;
  userId: string | null;
  email: string | null;
  session: ClientSession;
}

/** Signs in through the real login form from a fresh client address. */
export async function signIn(
  app: FastifyInstance,
  email: string,
  password = TEST_PASSWORD,
): Promise<ClientSession> {
  const s = new ClientSession(app);
  const res = await s.post('/login', { email, password }, '/login');
  if (res.statusCode !== 303) throw new Error(`login as ${email} failed: ${res.statusCode}`);
  return s;
}

export async function userIdOf(app: FastifyInstance, email: string): Promise<string> {
  const u = await app.db.models.User.findOne({ email }).lean();
  if (!u) throw new Error(`no demo user ${email}`);
  return u._id;
}

/** Signs in every actor (anonymous gets a fresh, signed-out session). */
export async function signInActors(app: FastifyInstance): Promise<Record<ActorName, Actor>> {
  const out = {
    anonymous: { name: 'anonymous', role: null, userId: null, email: null, session: new ClientSession(app) },
  } as Record<ActorName, Actor>;
  for (const [name, email] of Object.entries(ACTOR_EMAILS) as Array<[SignedInActor, string]>) {
    const user = await app.db.models.User.findOne({ email }).lean();
    if (!user) throw new Error(`no demo user ${email}`);
    out[name] = { name, role: user.role, userId: user._id, email, session: await signIn(app, email) };
  }
  return out;
}

/** True while the session cookie still belongs to a signed-in server-side session. */
export async function stillSignedIn(s: Session): Promise<boolean> {
  const res = await s.get('/');
  return res.statusCode === 200;
}
