/**
 * The LMS side of a cmi5 launch, for browser tests (#27): what an LMS that imported a cmi5 package
 * does for its assignable unit (cmi5 spec, AICC/CMI-5_Spec_Current, sections 8, 10, 11).
 *
 * - Serves the unzipped package from a content origin, and the LMS (fetch URL, xAPI endpoint, return
 *   page) from another origin, as LMSs that host content on a CDN do: the AU talks to the LMS across
 *   origins (CORS), as it must in the field.
 * - `launch()` records the LMS's Launched statement in the LRS, writes `LMS.LaunchData` (contextTemplate
 *   with the session id and publisher id, launchMode, masteryScore, moveOn, returnURL) and returns the
 *   launch URL with the five parameters.
 * - The fetch URL answers `{"auth-token": …}` once per launch; a second POST gets error-code 1 (8.2.3).
 * - The xAPI endpoint: `about`, `activities/state` (in memory, per launch's token, with ETags),
 *   `agents/profile` (`cmi5LearnerPreferences`: the launch's document or 404; writes get 403, which
 *   11.0 allows), and `statements`, forwarded to a real LRS (Ralph) unless `refuseStatements` is on.
 * - What the AU does that the LMS refuses (an unknown token, the wrong agent or registration, a write
 *   to `LMS.LaunchData`) is answered with 401/403 and listed in `problems`.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DOMParser } from '@xmldom/xmldom';
import { CMI5_IRI, CMI5_VERB, type XapiStatement } from './cmi5-rules.js';

/** The LRS the stand-in forwards statements to, and reads them back from (tests/helpers/ralph.ts). */
export interface Lrs {
  endpoint: string;
  username: string;
  password: string;
  statements(params?: Record<string, string>): Promise<Array<Record<string, unknown>>>;
}

/** The AU as `cmi5.xml` declares it. */
export interface AuEntry {
  publisherId: string;
  url: string;
  moveOn: string;
  masteryScore?: number;
  launchParameters?: string;
}

export type LaunchMode = 'Normal' | 'Browse' | 'Review';

export interface LaunchOptions {
  /** The learner's enrolment; a new one by default. Relaunches pass the previous launch's. */
  registration?: string;
  /** The learner's account name; a new learner by default. */
  learner?: string;
  launchMode?: LaunchMode;
  /**
   * Leave the registration's earlier open sessions open (no Abandoned, their statements still taken),
   * as an LMS that does not follow 9.3.6 does. By default the LMS abandons them at this launch.
   */
  keepEarlierSessionsOpen?: boolean;
  /** Overrides the course structure's (10.2.4: the LMS may); `null` leaves it out. */
  masteryScore?: number | null;
  moveOn?: string;
  /** Where the AU sends the learner on exit; the LMS's return page by default, `null` for none. */
  returnURL?: string | null;
  /** The `cmi5LearnerPreferences` agent profile; none (404) by default. */
  learnerPreferences?: { languagePreference?: string; audioPreference?: 'on' | 'off' };
}

export interface Actor {
  objectType: 'Agent';
  account: { homePage: string; name: string };
}

export interface Cmi5Launch {
  url: string;
  registration: string;
  sessionId: string;
  actor: Actor;
  activityId: string;
  returnURL: string | undefined;
}

export interface LmsRequest {
  method: string;
  path: string;
  /** The query parameters, decoded. */
  query: Record<string, string>;
  status: number;
  /** The launch session the request's token (or fetch key) belongs to. */
  session?: string;
  /** For statement requests: the verbs sent, by their last path segment. */
  verbs?: string[];
}

interface Session {
  launch: Cmi5Launch;
  fetchKey: string;
  token: string;
  preferences: LaunchOptions['learnerPreferences'];
  launchedAt: number;
  /** 9.3.6, 9.3.8: once Terminated was stored or the LMS recorded Abandoned, statements get 403. */
  ended?: 'terminated' | 'abandoned';
}

interface StoredDocument {
  body: Buffer;
  contentType: string;
}

export interface Cmi5Lms {
  /** The LMS's origin (fetch URL, xAPI endpoint, return page). */
  origin: string;
  /** The origin the AU's files are served from. */
  contentOrigin: string;
  endpoint: string;
  /** The activity id the LMS made for the AU (8.1.5: not the publisher's id). */
  activityId: string;
  au: AuEntry;
  launch(options?: LaunchOptions): Promise<Cmi5Launch>;
  /** From now on statement requests get `status` (400 or 503) without reaching the LRS; `null` stops it. */
  refuseStatements(status: 400 | 503 | null): void;
  /** Every request the LMS answered, in order. */
  log: LmsRequest[];
  /** What the AU did that the LMS refused. */
  problems: string[];
  /** How many times the launch's fetch URL was POSTed to. */
  fetchCalls(launch: Cmi5Launch): number;
  /** A state document the AU (or the LMS) stored for the launch's learner and registration. */
  stateDocument(launch: Cmi5Launch, stateId: string): unknown;
  /** The learner's statements read back from the LRS, oldest stored first. */
  statementsOf(launch: Cmi5Launch): Promise<XapiStatement[]>;
  close(): Promise<void>;
}

const LAUNCH_DATA = 'LMS.LaunchData';
const PREFERENCES = 'cmi5LearnerPreferences';
const XAPI_VERSION = '1.0.3';

/** The first AU of the package's `cmi5.xml` (the app's packages have exactly one). */
export function readCourseStructure(files: Map<string, Buffer>): AuEntry {
  const xml = files.get('cmi5.xml');
  if (!xml) throw new Error('the package has no cmi5.xml at its root');
  const doc = new DOMParser().parseFromString(xml.toString('utf8'), 'application/xml');
  const au = doc.getElementsByTagName('au')[0];
  if (!au) throw new Error('cmi5.xml declares no AU');
  const child = (name: string) => au.getElementsByTagName(name)[0]?.textContent?.trim();
  const mastery = au.getAttribute('masteryScore');
  const launchParameters = child('launchParameters');
  return {
    publisherId: au.getAttribute('id') ?? '',
    url: child('url') ?? '',
    moveOn: au.getAttribute('moveOn') || 'NotApplicable',
    ...(mastery ? { masteryScore: Number(mastery) } : {}),
    ...(launchParameters ? { launchParameters } : {}),
  };
}

function etag(body: Buffer): string {
  return `"${createHash('sha1').update(body).digest('hex')}"`;
}

function basic(lrs: Lrs): string {
  return `Basic ${Buffer.from(`${lrs.username}:${lrs.password}`).toString('base64')}`;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, PUT, POST, DELETE, OPTIONS',
  'access-control-allow-headers':
    'Authorization, Content-Type, X-Experience-API-Version, If-Match, If-None-Match',
  'access-control-expose-headers': 'ETag, X-Experience-API-Version, Content-Type',
};

function send(res: ServerResponse, status: number, body: unknown = '', headers: Record<string, string> = {}) {
  const isJson = typeof body !== 'string' && !Buffer.isBuffer(body);
  const payload = isJson ? JSON.stringify(body) : (body as string | Buffer);
  res.writeHead(status, {
    ...CORS,
    'x-experience-api-version': XAPI_VERSION,
    ...(isJson ? { 'content-type': 'application/json' } : {}),
    ...headers,
  });
  res.end(payload);
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const CONTENT_TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  xml: 'application/xml',
  svg: 'image/svg+xml',
  png: 'image/png',
  json: 'application/json',
};

function contentServer(files: Map<string, Buffer>): Server {
  return createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]!);
    const body = path.startsWith('/au/') ? files.get(path.slice('/au/'.length)) : undefined;
    if (!body) return send(res, 404, 'not found');
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[path.split('.').pop() ?? ''] ?? 'application/octet-stream',
    });
    res.end(body);
  });
}

const RETURN_PAGE =
  '<!doctype html><html lang="en"><title>LMS</title><main><h1 id="lms-returned">Back in the LMS</h1></main></html>';

/** Starts the stand-in for the unzipped package `files`, forwarding statements to `lrs`. */
export async function startCmi5Lms(files: Map<string, Buffer>, lrs: Lrs): Promise<Cmi5Lms> {
  const au = readCourseStructure(files);
  const content = contentServer(files);
  const contentOrigin = await listen(content);
  const lms = new LmsState(au, lrs, contentOrigin);
  const server = createServer((req, res) => {
    lms.handle(req, res).catch((err: unknown) => {
      lms.problems.push(`the stand-in failed: ${String(err)}`);
      if (!res.headersSent) send(res, 500, { error: String(err) });
    });
  });
  lms.origin = await listen(server);
  return {
    get origin() {
      return lms.origin;
    },
    contentOrigin,
    get endpoint() {
      return `${lms.origin}/xapi/`;
    },
    get activityId() {
      return lms.activityId;
    },
    au,
    launch: (options) => lms.launch(options ?? {}),
    refuseStatements: (status) => {
      lms.refusing = status;
    },
    log: lms.log,
    problems: lms.problems,
    fetchCalls: (launch) =>
      lms.log.filter(
        (r) => r.method === 'POST' && r.path.startsWith('/fetch/') && r.session === launch.sessionId,
      ).length,
    stateDocument: (launch, stateId) => lms.stateDocument(launch, stateId),
    statementsOf: async (launch) =>
      byStored((await lrs.statements({ agent: JSON.stringify(launch.actor) })) as XapiStatement[]),
    close: async () => {
      await Promise.all(
        [server, content].map((s) => new Promise<void>((resolve) => s.close(() => resolve()))),
      );
    },
  };
}

/** The stand-in's memory and request handling. */
class LmsState {
  origin = '';
  refusing: 400 | 503 | null = null;
  readonly log: LmsRequest[] = [];
  readonly problems: string[] = [];
  private readonly sessions = new Map<string, Session>();
  private readonly documents = new Map<string, StoredDocument>();

  constructor(
    readonly au: AuEntry,
    private readonly lrs: Lrs,
    private readonly contentOrigin: string,
  ) {}

  /** 8.1.5: an id of the LMS's own making, the same for every launch and registration. */
  get activityId(): string {
    return `${this.origin}/activities/au/${createHash('sha1').update(this.au.publisherId).digest('hex').slice(0, 12)}`;
  }

  async launch(options: LaunchOptions): Promise<Cmi5Launch> {
    const registration = options.registration ?? randomUUID();
    const actor: Actor = {
      objectType: 'Agent',
      account: { homePage: this.origin, name: options.learner ?? `learner-${randomUUID()}` },
    };
    const sessionId = randomUUID();
    const launchMode = options.launchMode ?? 'Normal';
    const masteryScore =
      options.masteryScore === null ? undefined : (options.masteryScore ?? this.au.masteryScore);
    const moveOn = options.moveOn ?? this.au.moveOn;
    const returnURL =
      options.returnURL === null
        ? undefined
        : (options.returnURL ?? `${this.origin}/lms/returned/${sessionId}`);
    const auUrl = new URL(this.au.url, `${this.contentOrigin}/au/`).toString();
    const fetchKey = randomUUID();
    const params = new URLSearchParams({
      endpoint: `${this.origin}/xapi/`,
      fetch: `${this.origin}/fetch/${fetchKey}`,
      actor: JSON.stringify(actor),
      registration,
      activityId: this.activityId,
    });
    const launch: Cmi5Launch = {
      url: `${auUrl}${auUrl.includes('?') ? '&' : '?'}${params}`,
      registration,
      sessionId,
      actor,
      activityId: this.activityId,
      returnURL,
    };
    const contextTemplate = {
      contextActivities: { grouping: [{ id: this.au.publisherId }] },
      extensions: { [CMI5_IRI.sessionId]: sessionId },
    };
    const launchData = {
      contextTemplate,
      launchMode,
      moveOn,
      launchMethod: 'AnyWindow',
      ...(masteryScore !== undefined ? { masteryScore } : {}),
      ...(returnURL ? { returnURL } : {}),
      ...(this.au.launchParameters ? { launchParameters: this.au.launchParameters } : {}),
    };
    this.documents.set(this.stateKey(launch, LAUNCH_DATA), {
      body: Buffer.from(JSON.stringify(launchData)),
      contentType: 'application/json',
    });
    if (!options.keepEarlierSessionsOpen) await this.abandonOpenSessions(launch);
    await this.recordLaunched(launch, { launchMode, moveOn, masteryScore, launchUrl: auUrl });
    const token = Buffer.from(`${sessionId}:${randomUUID()}`).toString('base64');
    this.sessions.set(sessionId, {
      launch,
      fetchKey,
      token,
      preferences: options.learnerPreferences,
      launchedAt: Date.now(),
    });
    return launch;
  }

  /**
   * 9.3.6: a new launch of the registration while an earlier session never Terminated — the LMS
   * records Abandoned for it, and from then on refuses its statements (9.3.8).
   */
  private async abandonOpenSessions(next: Cmi5Launch): Promise<void> {
    for (const session of this.sessions.values()) {
      const { launch } = session;
      if (session.ended || launch.registration !== next.registration) continue;
      if (launch.actor.account.name !== next.actor.account.name) continue;
      session.ended = 'abandoned';
      const seconds = Math.max(0, Math.round((Date.now() - session.launchedAt) / 1000));
      const statement = {
        id: randomUUID(),
        actor: launch.actor,
        verb: { id: CMI5_VERB.abandoned, display: { 'en-US': 'abandoned' } },
        object: { objectType: 'Activity', id: launch.activityId },
        result: { duration: `PT${seconds}S` },
        context: {
          registration: launch.registration,
          contextActivities: {
            grouping: [{ id: this.au.publisherId }],
            category: [{ id: CMI5_IRI.category }],
          },
          extensions: { [CMI5_IRI.sessionId]: launch.sessionId },
        },
        timestamp: new Date().toISOString(),
      };
      const res = await this.toLrs('POST', '', Buffer.from(JSON.stringify(statement)));
      if (res.status >= 300) throw new Error(`the LRS refused Abandoned: ${res.status} ${res.body}`);
    }
  }

  /** 9.3.1, 9.6.3: the LMS records Launched, with how it launched, before the AU starts. */
  private async recordLaunched(
    launch: Cmi5Launch,
    how: { launchMode: LaunchMode; moveOn: string; masteryScore: number | undefined; launchUrl: string },
  ): Promise<void> {
    const statement = {
      id: randomUUID(),
      actor: launch.actor,
      verb: { id: CMI5_VERB.launched, display: { 'en-US': 'launched' } },
      object: { objectType: 'Activity', id: launch.activityId },
      context: {
        registration: launch.registration,
        contextActivities: {
          grouping: [{ id: this.au.publisherId }],
          category: [{ id: CMI5_IRI.category }],
        },
        extensions: {
          [CMI5_IRI.sessionId]: launch.sessionId,
          [CMI5_IRI.launchMode]: how.launchMode,
          [CMI5_IRI.launchUrl]: how.launchUrl,
          [CMI5_IRI.moveOn]: how.moveOn,
          ...(how.masteryScore !== undefined ? { [CMI5_IRI.masteryScore]: how.masteryScore } : {}),
          ...(this.au.launchParameters ? { [CMI5_IRI.launchParameters]: this.au.launchParameters } : {}),
        },
      },
      timestamp: new Date().toISOString(),
    };
    const res = await this.toLrs('POST', '', Buffer.from(JSON.stringify(statement)));
    if (res.status >= 300) throw new Error(`the LRS refused Launched: ${res.status} ${res.body}`);
  }

  private stateKey(
    launch: Pick<Cmi5Launch, 'activityId' | 'actor' | 'registration'>,
    stateId: string,
  ): string {
    return JSON.stringify([launch.activityId, launch.actor.account, launch.registration, stateId]);
  }

  stateDocument(launch: Cmi5Launch, stateId: string): unknown {
    const doc = this.documents.get(this.stateKey(launch, stateId));
    if (!doc) return undefined;
    return doc.contentType.startsWith('application/json') ? JSON.parse(doc.body.toString('utf8')) : doc.body;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.origin);
    const method = req.method ?? 'GET';
    const entry: LmsRequest = {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      status: 0,
    };
    this.log.push(entry);
    const answer = (status: number, body: unknown = '', headers: Record<string, string> = {}) => {
      entry.status = status;
      send(res, status, body, headers);
    };
    if (method === 'OPTIONS') return answer(204);
    if (url.pathname.startsWith('/lms/returned/')) {
      entry.status = 200;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(RETURN_PAGE);
      return;
    }
    if (url.pathname.startsWith('/fetch/')) return this.fetchToken(url, method, entry, answer);
    if (!url.pathname.startsWith('/xapi/')) return answer(404, 'not found');
    const resource = url.pathname.slice('/xapi/'.length);
    if (resource === 'about' && method === 'GET') return answer(200, { version: [XAPI_VERSION] });
    const session = this.sessionFor(req);
    if (!session) {
      this.problems.push(`${method} ${url.pathname} without the launch's auth token`);
      return answer(401, { error: 'unknown or missing auth token' });
    }
    entry.session = session.launch.sessionId;
    const body = await readBody(req);
    if (resource === 'statements') return this.statements(url, method, body, session, entry, answer);
    if (resource === 'activities/state') return this.state(url, method, req, body, session, answer);
    if (resource === 'agents/profile') return this.agentProfile(url, method, session, answer);
    return answer(404, { error: `no xAPI resource ${resource}` });
  }

  /** 8.2: a token once per launch; afterwards error-code 1, still with status 200. */
  private fetchToken(url: URL, method: string, entry: LmsRequest, answer: Answer) {
    const key = url.pathname.slice('/fetch/'.length);
    const session = [...this.sessions.values()].find((s) => s.fetchKey === key);
    if (!session) return answer(200, { 'error-code': '2', 'error-text': 'Unknown fetch URL.' });
    entry.session = session.launch.sessionId;
    if (method !== 'POST') return answer(405, { error: 'the fetch URL takes POST only (8.2.1)' });
    const earlier = this.log.filter((r) => r !== entry && r.path === url.pathname && r.method === 'POST');
    if (earlier.length > 0) {
      this.problems.push(
        `fetch URL of session ${session.launch.sessionId} POSTed ${earlier.length + 1} times`,
      );
      return answer(200, {
        'error-code': '1',
        'error-text': 'The authorization token has already been returned.',
      });
    }
    answer(200, { 'auth-token': session.token });
  }

  private sessionFor(req: IncomingMessage): Session | undefined {
    const auth = req.headers.authorization ?? '';
    const token = auth.startsWith('Basic ') ? auth.slice('Basic '.length) : '';
    return [...this.sessions.values()].find((s) => s.token === token);
  }

  /**
   * Forwards statement requests to the LRS, unless told to refuse them; a session that Terminated or
   * was abandoned gets 403 (9.3.8: the LMS MUST reject statements after Terminated).
   */
  private async statements(
    url: URL,
    method: string,
    body: Buffer,
    session: Session,
    entry: LmsRequest,
    answer: Answer,
  ) {
    const writes = method === 'POST' || method === 'PUT';
    if (writes) entry.verbs = verbsIn(body);
    if (writes && session.ended) return answer(403, { error: `the session was ${session.ended}` });
    if (this.refusing !== null && method !== 'GET') {
      const why = this.refusing === 503 ? 'The LRS is unavailable.' : 'The LRS refused the statements.';
      return answer(this.refusing, { error: why });
    }
    const res = await this.toLrs(method, url.search, method === 'GET' ? undefined : body);
    if (writes && res.status < 300 && entry.verbs?.includes('terminated')) session.ended = 'terminated';
    answer(res.status, res.body, { 'content-type': res.contentType });
  }

  private async toLrs(method: string, search: string, body: Buffer | undefined) {
    try {
      const res = await fetch(`${this.lrs.endpoint}statements${search}`, {
        method,
        headers: {
          authorization: basic(this.lrs),
          'content-type': 'application/json',
          'x-experience-api-version': XAPI_VERSION,
        },
        ...(body ? { body: new Uint8Array(body) } : {}),
      });
      return {
        status: res.status,
        body: await res.text(),
        contentType: res.headers.get('content-type') ?? 'application/json',
      };
    } catch (err) {
      return {
        status: 503,
        body: JSON.stringify({ error: `LRS unreachable: ${String(err)}` }),
        contentType: 'application/json',
      };
    }
  }

  /** The State API (xAPI 1.0.3, 7.4) for the launch's learner; `LMS.LaunchData` is read-only to the AU. */
  private state(
    url: URL,
    method: string,
    req: IncomingMessage,
    body: Buffer,
    session: Session,
    answer: Answer,
  ) {
    const q = url.searchParams;
    const launch = session.launch;
    if (!this.isLaunchAgent(q.get('agent'), launch) || q.get('activityId') !== launch.activityId) {
      this.problems.push(`state ${method} for another agent or activity: ${url.search}`);
      return answer(403, { error: 'not this launch’s agent or activity' });
    }
    if (q.get('registration') !== launch.registration) {
      this.problems.push(`state ${method} without the launch's registration: ${url.search}`);
      return answer(403, { error: 'not this launch’s registration' });
    }
    const stateId = q.get('stateId');
    if (!stateId) {
      if (method !== 'GET') return answer(400, { error: 'stateId required' });
      const prefix = this.stateKey(launch, '').slice(0, -3);
      const ids = [...this.documents.keys()].filter((k) => k.startsWith(prefix)).map((k) => JSON.parse(k)[3]);
      return answer(200, ids);
    }
    if (stateId === LAUNCH_DATA && method !== 'GET') {
      this.problems.push(`the AU tried to ${method} ${LAUNCH_DATA} (10.2.1: it must not)`);
      return answer(403, { error: `${LAUNCH_DATA} is the LMS's` });
    }
    return this.document(this.stateKey(launch, stateId), method, req, body, answer);
  }

  private document(key: string, method: string, req: IncomingMessage, body: Buffer, answer: Answer) {
    const stored = this.documents.get(key);
    if (method === 'GET') {
      if (!stored) return answer(404, { error: 'no such document' });
      return answer(200, stored.body, { 'content-type': stored.contentType, etag: etag(stored.body) });
    }
    if (method === 'DELETE') {
      this.documents.delete(key);
      return answer(204);
    }
    const ifMatch = req.headers['if-match'];
    const ifNoneMatch = req.headers['if-none-match'];
    if ((ifMatch && (!stored || ifMatch !== etag(stored.body))) || (ifNoneMatch === '*' && stored)) {
      return answer(412, { error: 'precondition failed' });
    }
    const contentType = req.headers['content-type'] ?? 'application/octet-stream';
    if (method === 'PUT') {
      this.documents.set(key, { body, contentType });
      return answer(204);
    }
    if (method !== 'POST') return answer(405, { error: `${method} not allowed` });
    const merged = mergeJson(stored, body, contentType);
    if (!merged) return answer(400, { error: 'POST merges JSON objects only' });
    this.documents.set(key, merged);
    answer(204);
  }

  /** 11.0: the learner's preferences, or 404; the LMS ignores the AU's writes with 403. */
  private agentProfile(url: URL, method: string, session: Session, answer: Answer) {
    const q = url.searchParams;
    if (!this.isLaunchAgent(q.get('agent'), session.launch)) {
      this.problems.push(`agent profile ${method} for another agent: ${url.search}`);
      return answer(403, { error: 'not this launch’s agent' });
    }
    if (method !== 'GET') return answer(403, { error: 'the LMS keeps the learner preferences' });
    const profileId = q.get('profileId');
    if (!profileId) return answer(200, session.preferences ? [PREFERENCES] : []);
    if (profileId !== PREFERENCES || !session.preferences) return answer(404, { error: 'no such profile' });
    answer(200, session.preferences);
  }

  private isLaunchAgent(agent: string | null, launch: Cmi5Launch): boolean {
    try {
      const parsed = JSON.parse(agent ?? '') as Partial<Actor>;
      return JSON.stringify(parsed.account) === JSON.stringify(launch.actor.account);
    } catch {
      return false;
    }
  }
}

/** Oldest stored first, whichever way round the LRS lists them (Ralph's file backend: oldest first). */
function byStored(list: XapiStatement[]): XapiStatement[] {
  const at = (s: XapiStatement) => Date.parse(s.stored ?? '') || 0;
  return list
    .map((s, i) => ({ s, i }))
    .sort((a, b) => at(a.s) - at(b.s) || a.i - b.i)
    .map((x) => x.s);
}

type Answer = (status: number, body?: unknown, headers?: Record<string, string>) => void;

function verbsIn(body: Buffer): string[] {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as XapiStatement | XapiStatement[];
    const list = Array.isArray(parsed) ? parsed : [parsed];
    return list.map((s) => (s.verb?.id ?? '?').split('/').pop()!);
  } catch {
    return ['(not JSON)'];
  }
}

/** xAPI's POST to a document: the stored and the sent JSON objects merged at the top level. */
function mergeJson(
  stored: StoredDocument | undefined,
  body: Buffer,
  contentType: string,
): StoredDocument | null {
  const parse = (b: Buffer) => {
    try {
      const value = JSON.parse(b.toString('utf8'));
      return value && typeof value === 'object' && !Array.isArray(value) ? (value as object) : null;
    } catch {
      return null;
    }
  };
  const sent = contentType.startsWith('application/json') ? parse(body) : null;
  const before = stored ? parse(stored.body) : {};
  if (!sent || !before) return null;
  return { body: Buffer.from(JSON.stringify({ ...before, ...sent })), contentType: 'application/json' };
}
