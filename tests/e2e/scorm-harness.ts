/**
 * An LMS stand-in for browser tests: a local HTTP server on 127.0.0.1 with a parent page that
 * hosts scorm-again as window.API (1.2) or window.API_1484_11 (2004) and launches the SCO from
 * the unzipped package in an iframe, directly or up to any number of frames down, or in a popup the
 * player page opens (the API then found through window.opener). Every API call is logged in
 * the page (`window.scormLog`) so tests can check call order and formats.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { Frame, Page } from 'playwright-core';
import yauzl from 'yauzl';
import type { Course, Question } from '../../src/domain/course.js';
import { type GivenAnswer, rightAnswer } from '../../src/domain/quiz/grading.js';
import { wrongAnswer } from '../factories.js';

const require = createRequire(import.meta.url);
const scormAgainDir = require.resolve('scorm-again/scorm12').replace(/scorm12\.js$/, '');

export function unzip(zip: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(zip, { lazyEntries: true }, (err, archive) => {
      if (err || !archive) return reject(err);
      const files = new Map<string, Buffer>();
      archive.on('entry', (entry: yauzl.Entry) => {
        archive.openReadStream(entry, (streamErr, stream) => {
          if (streamErr || !stream) return reject(streamErr);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            files.set(entry.fileName, Buffer.concat(chunks));
            archive.readEntry();
          });
        });
      });
      archive.on('end', () => resolve(files));
      archive.on('error', reject);
      archive.readEntry();
    });
  });
}

const PLAYER_JS = `
window.scormLog = [];
window.launch = function (preload, depth, wrap, noApi, popup) {
  var is12 = typeof Scorm12API !== 'undefined';
  var api = is12
    ? new Scorm12API({ autocommit: false, lmsCommitUrl: false, logLevel: 5 })
    : new Scorm2004API({ autocommit: false, lmsCommitUrl: false, logLevel: 5 });
  if (preload) api.loadFromJSON(preload, '');
  var names = is12 ? ['LMSInitialize', 'LMSCommit', 'LMSFinish'] : ['Initialize', 'Commit', 'Terminate'];
  names.forEach(function (name) { api.on(name, function () { scormLog.push([name]); }); });
  api.on((is12 ? 'LMSSetValue' : 'SetValue') + '.cmi.*', function (el, value) { scormLog.push(['set', el, value]); });
  // A test's fault injection: replaces or wraps API methods (see apiFaults in the harness).
  if (wrap) new Function('api', 'is12', wrap)(api, is12);
  if (!noApi) { if (is12) window.API = api; else window.API_1484_11 = api; }
  // Depth 1 is the SCO itself; every level above it is one more frame between the SCO and the API.
  var src = depth > 1 ? '/nest.html?left=' + (depth - 1) : '/sco/index.html';
  if (popup) { window.open(src, 'course', 'width=1100,height=900'); return; }
  var frame = document.createElement('iframe');
  frame.id = 'launch-frame';
  frame.title = 'Course';
  // LMS players give the course most of the screen; a default 300 px frame would get the phone layout.
  frame.style.width = '1100px';
  frame.style.height = '900px';
  frame.src = src;
  document.body.appendChild(frame);
};
window.cmi = function () { return (window.API || window.API_1484_11).renderCMIToJSONObject(); };
`;

const PAGES: Record<string, string> = {
  '/player.html':
    '<!doctype html><title>LMS</title><script src="/lib/scorm-api.js"></script><script src="/player.js"></script><body></body>',
  // One LMS frame level; ?left=n says how many levels (this one included) are above the SCO.
  '/nest.html':
    '<!doctype html><title>LMS frame</title><body><script>var left = Number(new URLSearchParams(location.search).get("left")); var f = document.createElement("iframe"); f.title = "Course"; f.style.width = "1050px"; f.style.height = "850px"; f.src = left > 1 ? "/nest.html?left=" + (left - 1) : "/sco/index.html"; document.body.appendChild(f);</script></body>',
};

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  xml: 'application/xml',
};

export interface PlayerServer {
  base: string;
  close(): Promise<void>;
}

export async function startPlayerServer(files: Map<string, Buffer>, format: 'scorm12' | 'scorm2004') {
  const api = readFileSync(`${scormAgainDir}${format === 'scorm12' ? 'scorm12' : 'scorm2004'}.min.js`);
  const server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]!);
    let body: Buffer | string | undefined = PAGES[path];
    if (path === '/player.js') body = PLAYER_JS;
    if (path === '/lib/scorm-api.js') body = api;
    if (path.startsWith('/sco/')) body = files.get(path.slice('/sco/'.length));
    if (body === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.split('.').pop() ?? ''] ?? 'application/octet-stream' });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  } satisfies PlayerServer;
}

/** What the test player page exposes on `window` (see its script in this harness). */
interface PlayerWindow {
  launch(preload: object | null, depth: number, wrap: string | null, noApi: boolean, popup: boolean): void;
  scormLog: string[][];
  cmi(): Cmi;
}

export interface CmiInteraction {
  id: string;
  result: string;
  [element: string]: unknown;
}

/** The CMI tree as scorm-again reports it; its shape differs between SCORM 1.2 and 2004. */
// biome-ignore lint/suspicious/noExplicitAny: tests read both versions' trees by path
export type Cmi = any;

export interface LaunchOptions {
  /** LMS data for a relaunch. */
  preload?: object;
  /** Two frames down (the same as `depth: 2`). */
  nested?: boolean;
  /** Frames from the API's window to the SCO: 1 (default) is the SCO directly in the player page. */
  depth?: number;
  /** The player page opens the SCO (at `depth`) in a popup window instead of a frame. */
  popup?: boolean;
  /** Script run with `api` (and `is12`) before the API is published: an {@link apiFaults} fault. */
  wrap?: string;
  /** Publish no API at all, as a plain web server would. */
  noApi?: boolean;
}

/** Where the SCO runs relative to the API's window: frames in between, or a popup. */
export type Placement = Pick<LaunchOptions, 'depth' | 'popup'>;

/** The placements beyond depth 1 that LMSs use, for a representative subset of the tests. */
export const OTHER_PLACEMENTS: Array<[string, Placement]> = [
  ['frame depth 7', { depth: 7 }],
  ['a popup', { popup: true }],
];

/** Opens the player, launches the SCO (optionally with LMS data for a relaunch) and returns its frame. */
export async function launch(page: Page, base: string, opts: LaunchOptions = {}) {
  await page.goto(`${base}/player.html`);
  const depth = opts.depth ?? (opts.nested ? 2 : 1);
  const popup = opts.popup ? page.waitForEvent('popup') : undefined;
  await page.evaluate(
    ([preload, depth, wrap, noApi, popup]) =>
      (window as unknown as PlayerWindow).launch(preload, depth, wrap, noApi, popup),
    [opts.preload ?? null, depth, opts.wrap ?? null, opts.noApi ?? false, opts.popup ?? false] as const,
  );
  const host = popup ? await popup : page;
  let sco: Frame | undefined;
  await expectEventually(() => {
    sco = host.frames().find((f) => f.url().endsWith('/sco/index.html'));
    return Boolean(sco);
  });
  // The SCO really is `depth` windows below the one that holds the API (a popup's top counts as one).
  let levels = popup ? 1 : 0;
  for (let f = sco!.parentFrame(); f; f = f.parentFrame()) levels++;
  if (levels !== depth) throw new Error(`SCO launched ${levels} frames deep, not ${depth}`);
  await sco!.waitForSelector('[data-view]:not([hidden]) h1');
  return sco!;
}

async function expectEventually(check: () => boolean, timeoutMs = 10_000) {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The answer a test gives: the right one, or one that earns no points at all. */
export function answerFor(q: Question, right: boolean): GivenAnswer {
  return right ? rightAnswer(q) : wrongAnswer(q);
}

/** The question ids the SCO served, in order. */
export async function servedQuestions(sco: Frame): Promise<string[]> {
  return sco.$$eval('[data-question]', (boxes) => boxes.map((b) => (b as HTMLElement).dataset.question!));
}

/**
 * Starts the quiz and answers the first `count` questions (all by default) through the UI.
 * `right(i)` decides per position whether the answer is right. Returns the answers given by id.
 */
export async function answerQuiz(
  sco: Frame,
  course: Course,
  right: (pos: number, q: Question) => boolean,
  count = Number.POSITIVE_INFINITY,
): Promise<{ served: string[]; answers: Record<string, GivenAnswer> }> {
  if (await sco.isVisible('#quiz-start')) await sco.click('#quiz-start');
  const served = await servedQuestions(sco);
  const answers: Record<string, GivenAnswer> = {};
  for (const [pos, id] of served.entries()) {
    if (pos >= count) break;
    const q = course.questions.find((x) => x.id === id)!;
    const answer = answerFor(q, right(pos, q));
    answers[id] = answer;
    if (answer.verdict) await sco.check(`#q${pos}-verdict-${answer.verdict}`);
    for (const choice of answer.choiceIds) await sco.check(`#q${pos}-${choice}`);
  }
  return { served, answers };
}

/** Every SetValue the SCO made, in order, as [element, value]. */
export async function setCalls(page: Page): Promise<Array<[string, string]>> {
  const log = (await page.evaluate(() => (window as unknown as PlayerWindow).scormLog)) as string[][];
  return log.filter((e) => e[0] === 'set').map((e) => [e[1]!, e[2]!]);
}

export async function apiLog(page: Page): Promise<string[][]> {
  return (await page.evaluate(() => (window as unknown as PlayerWindow).scormLog)) as string[][];
}

export async function cmiData(page: Page): Promise<Cmi> {
  return page.evaluate(() => (window as unknown as PlayerWindow).cmi());
}

/**
 * Misbehaving LMS APIs for `launch({ wrap })`. Method names are the version's own (LMSCommit or
 * Commit...). A refused call is logged in `scormLog` as ['refused', method, element?] so tests can
 * count attempts; the real method is not called.
 */
export const apiFaults = {
  /** `method` answers "false" every time. */
  refuses: (method: string) =>
    `api[${JSON.stringify(method)}] = function (el) { scormLog.push(['refused', ${JSON.stringify(method)}, el]); return 'false'; };`,
  /** A SetValue / LMSSetValue for `element` answers "false"; other elements are stored. */
  refusesElement: (method: string, element: string) => `
    var real = api[${JSON.stringify(method)}].bind(api);
    api[${JSON.stringify(method)}] = function (el, value) {
      if (el === ${JSON.stringify(element)}) { scormLog.push(['refused', ${JSON.stringify(method)}, el]); return 'false'; }
      return real(el, value);
    };`,
  /** `method` answers "false" its first `times` calls, then works again (an LMS that recovers). */
  refusesFirst: (method: string, times: number) => `
    var real = api[${JSON.stringify(method)}].bind(api), refusals = 0;
    api[${JSON.stringify(method)}] = function (el) {
      if (refusals < ${times}) { refusals++; scormLog.push(['refused', ${JSON.stringify(method)}, el]); return 'false'; }
      return real(el);
    };`,
  /** Every listed method throws instead of answering. */
  throws: (methods: string[]) =>
    `${JSON.stringify(methods)}.forEach(function (m) { api[m] = function () { throw new Error('LMS broke: ' + m); }; });`,
};

/** Every API method of a version, for a fully broken API. */
export const API_METHODS = {
  scorm12: [
    'LMSInitialize',
    'LMSGetValue',
    'LMSSetValue',
    'LMSCommit',
    'LMSFinish',
    'LMSGetLastError',
    'LMSGetErrorString',
    'LMSGetDiagnostic',
  ],
  scorm2004: [
    'Initialize',
    'GetValue',
    'SetValue',
    'Commit',
    'Terminate',
    'GetLastError',
    'GetErrorString',
    'GetDiagnostic',
  ],
} as const;
