/**
 * The cmi5 rules on statements (cmi5 spec, AICC/CMI-5_Spec_Current, sections 7.1, 9.3–9.7), as a pure
 * check for the browser tests: given a learner's statements for one registration as an LRS stored
 * them, the list of rule violations, empty when the AU and the LMS stand-in behaved.
 *
 * Order is by `timestamp`, as the spec says (9.3: "the order is determined by the value of the
 * timestamp property"); statements with the same timestamp keep the order they were given in.
 * A session's launch mode and mastery score are read from the LMS's Launched statement for that
 * session (9.6.3: the LMS must put launchMode and masteryScore in its context), so the check needs
 * nothing but the statements.
 */

export const CMI5_IRI = {
  category: 'https://w3id.org/xapi/cmi5/context/categories/cmi5',
  moveOnCategory: 'https://w3id.org/xapi/cmi5/context/categories/moveon',
  sessionId: 'https://w3id.org/xapi/cmi5/context/extensions/sessionid',
  masteryScore: 'https://w3id.org/xapi/cmi5/context/extensions/masteryscore',
  launchMode: 'https://w3id.org/xapi/cmi5/context/extensions/launchmode',
  launchUrl: 'https://w3id.org/xapi/cmi5/context/extensions/launchurl',
  moveOn: 'https://w3id.org/xapi/cmi5/context/extensions/moveon',
  launchParameters: 'https://w3id.org/xapi/cmi5/context/extensions/launchparameters',
} as const;

export const CMI5_VERB = {
  launched: 'http://adlnet.gov/expapi/verbs/launched',
  initialized: 'http://adlnet.gov/expapi/verbs/initialized',
  completed: 'http://adlnet.gov/expapi/verbs/completed',
  passed: 'http://adlnet.gov/expapi/verbs/passed',
  failed: 'http://adlnet.gov/expapi/verbs/failed',
  terminated: 'http://adlnet.gov/expapi/verbs/terminated',
  abandoned: 'https://w3id.org/xapi/adl/verbs/abandoned',
  waived: 'https://w3id.org/xapi/adl/verbs/waived',
  satisfied: 'https://w3id.org/xapi/adl/verbs/satisfied',
} as const;

export type Cmi5VerbName = keyof typeof CMI5_VERB;

/** Verbs only the LMS issues (9.3.1, 9.3.6, 9.3.7, 9.3.9); everything else in a session is the AU's. */
const LMS_VERBS = new Set<string>([
  CMI5_VERB.launched,
  CMI5_VERB.abandoned,
  CMI5_VERB.waived,
  CMI5_VERB.satisfied,
]);
/** The AU's cmi5 defined verbs. */
const AU_VERBS = new Set<string>([
  CMI5_VERB.initialized,
  CMI5_VERB.completed,
  CMI5_VERB.passed,
  CMI5_VERB.failed,
  CMI5_VERB.terminated,
]);
/** Verbs whose result carries success or completion: these, and only these, carry the moveOn category. */
const MOVE_ON_VERBS = new Set<string>([
  CMI5_VERB.completed,
  CMI5_VERB.passed,
  CMI5_VERB.failed,
  CMI5_VERB.waived,
]);
const JUDGED_VERBS = new Set<string>([CMI5_VERB.passed, CMI5_VERB.failed]);

/** The parts of an xAPI statement the rules read. */
export interface XapiStatement {
  id?: string;
  actor?: { objectType?: string; account?: { homePage: string; name: string }; mbox?: string };
  verb?: { id: string };
  object?: { id?: string; objectType?: string };
  result?: {
    score?: { scaled?: number; raw?: number; min?: number; max?: number };
    success?: boolean;
    completion?: boolean;
    duration?: string;
    extensions?: Record<string, unknown>;
  };
  context?: {
    registration?: string;
    contextActivities?: Partial<Record<'parent' | 'grouping' | 'category' | 'other', Array<{ id: string }>>>;
    extensions?: Record<string, unknown>;
  };
  timestamp?: string;
  stored?: string;
}

export interface Cmi5Expectation {
  registration: string;
  /** The AU's activity id from the launch URL: the object of every cmi5 defined statement but Satisfied. */
  activityId: string;
  /** The launch's actor (9.2: an Agent with an account). */
  actor: { objectType?: string; account: { homePage: string; name: string } };
}

export type Cmi5Rule =
  | 'statement-id'
  | 'timestamp'
  | 'actor'
  | 'object'
  | 'registration'
  | 'session-id'
  | 'cmi5-category'
  | 'moveon-category'
  | 'result'
  | 'duration'
  | 'mastery-score'
  | 'launched-context'
  | 'no-launched'
  | 'initialized-first'
  | 'duplicate-verb'
  | 'passed-and-failed'
  | 'after-terminated'
  | 'no-terminated'
  | 'not-normal-mode'
  | 'second-completed'
  | 'second-passed'
  | 'failed-after-passed';

export interface Cmi5Violation {
  rule: Cmi5Rule;
  /** The statement the rule is about (its verb's last path segment and id), or the session. */
  where: string;
  message: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
/** An ISO 8601 duration as xAPI writes them (PT1H2M3.45S, P1D…). */
const DURATION =
  /^P(?!$)(\d+(\.\d+)?Y)?(\d+(\.\d+)?M)?(\d+(\.\d+)?W)?(\d+(\.\d+)?D)?(T(?=\d)(\d+(\.\d+)?H)?(\d+(\.\d+)?M)?(\d+(\.\d+)?S)?)?$/;

export function verbName(s: XapiStatement): string {
  const id = s.verb?.id ?? '?';
  const known = Object.entries(CMI5_VERB).find(([, iri]) => iri === id);
  return known ? known[0] : id;
}

function where(s: XapiStatement): string {
  return `${verbName(s)} ${s.id ?? '(no id)'}`;
}

function categories(s: XapiStatement): string[] {
  return (s.context?.contextActivities?.category ?? []).map((a) => a.id);
}

function sessionOf(s: XapiStatement): string | undefined {
  const value = s.context?.extensions?.[CMI5_IRI.sessionId];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Whether the statement is "cmi5 defined" (7.1.3): it carries the cmi5 category. */
function isDefined(s: XapiStatement): boolean {
  return categories(s).includes(CMI5_IRI.category);
}

/**
 * Statements in spec order: by timestamp, ties in the order given (a stable sort). A statement without a
 * valid timestamp (itself a violation) stays after the one given before it, so it cannot reorder the rest.
 */
export function inSpecOrder(statements: XapiStatement[]): XapiStatement[] {
  let previous = Number.NEGATIVE_INFINITY;
  const keyed = statements.map((s, i) => {
    const t = s.timestamp ? Date.parse(s.timestamp) : Number.NaN;
    if (!Number.isNaN(t)) previous = t;
    return { s, i, t: Number.isNaN(t) ? previous : t };
  });
  return keyed.sort((a, b) => a.t - b.t || a.i - b.i).map((x) => x.s);
}

/** Every cmi5 rule the statements break, for one learner's registration of one AU. */
export function cmi5Violations(statements: XapiStatement[], expected: Cmi5Expectation): Cmi5Violation[] {
  const ordered = inSpecOrder(statements);
  const launches = launchesBySession(ordered);
  const violations: Cmi5Violation[] = [];
  for (const s of ordered) violations.push(...statementViolations(s, expected, launches));
  for (const [session, list] of groupBySession(ordered)) {
    violations.push(...sessionViolations(session, list, launches.get(session)));
  }
  violations.push(...registrationViolations(ordered));
  return violations;
}

interface LaunchFacts {
  launchMode: string;
  masteryScore: number | undefined;
}

function launchesBySession(ordered: XapiStatement[]): Map<string, LaunchFacts> {
  const launches = new Map<string, LaunchFacts>();
  for (const s of ordered) {
    const session = sessionOf(s);
    if (s.verb?.id !== CMI5_VERB.launched || !session) continue;
    const ext = s.context?.extensions ?? {};
    const mastery = ext[CMI5_IRI.masteryScore];
    launches.set(session, {
      launchMode: String(ext[CMI5_IRI.launchMode] ?? ''),
      masteryScore: typeof mastery === 'number' ? mastery : undefined,
    });
  }
  return launches;
}

function groupBySession(ordered: XapiStatement[]): Map<string, XapiStatement[]> {
  const sessions = new Map<string, XapiStatement[]>();
  for (const s of ordered) {
    const session = sessionOf(s);
    if (!session) continue;
    sessions.set(session, [...(sessions.get(session) ?? []), s]);
  }
  return sessions;
}

/** The rules each statement must meet on its own: identity, context, category, result. */
function statementViolations(
  s: XapiStatement,
  expected: Cmi5Expectation,
  launches: Map<string, LaunchFacts>,
): Cmi5Violation[] {
  const found: Cmi5Violation[] = [];
  const add = (rule: Cmi5Rule, message: string) => found.push({ rule, where: where(s), message });
  const verb = s.verb?.id ?? '';
  if (!s.id || !UUID.test(s.id)) add('statement-id', 'the statement id is not a UUID (9.1)');
  if (!s.timestamp || Number.isNaN(Date.parse(s.timestamp))) add('timestamp', 'no valid timestamp (9.7)');
  if (JSON.stringify(s.actor?.account) !== JSON.stringify(expected.actor.account) || s.actor?.mbox) {
    add('actor', `actor ${JSON.stringify(s.actor)} is not the launch's actor (8.1.3, 9.2)`);
  }
  if (s.context?.registration !== expected.registration) {
    add(
      'registration',
      `context.registration is ${s.context?.registration ?? 'missing'}, not the launch's (9.6.1)`,
    );
  }
  const session = sessionOf(s);
  if (!session) add('session-id', 'no session id in context.extensions (9.6.3.1)');
  const cmi5Verb = AU_VERBS.has(verb) || LMS_VERBS.has(verb);
  if (cmi5Verb && !isDefined(s))
    add('cmi5-category', 'a cmi5 verb without the cmi5 category activity (9.6.2.1)');
  if (!isDefined(s)) return found;
  if (verb !== CMI5_VERB.satisfied && s.object?.id !== expected.activityId) {
    add('object', `object ${s.object?.id} is not the AU's activity id from the launch (9.4)`);
  }
  if (MOVE_ON_VERBS.has(verb) !== categories(s).includes(CMI5_IRI.moveOnCategory)) {
    add(
      'moveon-category',
      `the moveOn category ${MOVE_ON_VERBS.has(verb) ? 'is missing' : 'is not allowed'} (9.6.2.2)`,
    );
  }
  checkResult(s, add);
  if (JUDGED_VERBS.has(verb) && session) checkMastery(s, launches.get(session), add);
  if (verb === CMI5_VERB.launched) checkLaunched(s, add);
  return found;
}

type Add = (rule: Cmi5Rule, message: string) => void;

/** 9.5: score only on passed/failed, success only on passed/failed, completion only on completed, durations. */
function checkResult(s: XapiStatement, add: Add): void {
  const verb = s.verb?.id ?? '';
  const r = s.result ?? {};
  const judged = JUDGED_VERBS.has(verb);
  if (r.score !== undefined && !judged)
    add('result', 'a score on a statement other than passed/failed (9.5.1)');
  const success = verb === CMI5_VERB.passed ? true : verb === CMI5_VERB.failed ? false : undefined;
  if (r.success !== success) add('result', `result.success is ${r.success}, must be ${success} (9.5.2)`);
  const completion = verb === CMI5_VERB.completed ? true : undefined;
  if (r.completion !== completion)
    add('result', `result.completion is ${r.completion}, must be ${completion} (9.5.3)`);
  const needsDuration = verb === CMI5_VERB.terminated || MOVE_ON_VERBS.has(verb);
  if (needsDuration && verb !== CMI5_VERB.waived && !(r.duration && DURATION.test(r.duration))) {
    add('duration', `no ISO 8601 result.duration (9.5.4.1), got ${r.duration}`);
  }
}

/** 9.3.4, 9.3.5, 9.6.3.2: the launch's mastery score on passed/failed, and a score on the right side of it. */
function checkMastery(s: XapiStatement, launch: LaunchFacts | undefined, add: Add): void {
  const mastery = launch?.masteryScore;
  if (mastery === undefined) return;
  const sent = s.context?.extensions?.[CMI5_IRI.masteryScore];
  if (sent !== mastery) add('mastery-score', `masteryScore extension is ${sent}, the launch's is ${mastery}`);
  const scaled = s.result?.score?.scaled;
  if (scaled === undefined) return;
  const passed = s.verb?.id === CMI5_VERB.passed;
  if (passed ? scaled < mastery : scaled >= mastery) {
    add('mastery-score', `scaled score ${scaled} does not agree with ${verbName(s)} at mastery ${mastery}`);
  }
}

/** 9.6.3.3, 9.6.3.4, 9.6.3.6: the LMS's Launched statement says how it launched the AU. */
function checkLaunched(s: XapiStatement, add: Add): void {
  const ext = s.context?.extensions ?? {};
  for (const iri of [CMI5_IRI.launchMode, CMI5_IRI.launchUrl, CMI5_IRI.moveOn]) {
    if (typeof ext[iri] !== 'string') add('launched-context', `Launched lacks the extension ${iri}`);
  }
}

/** 7.1.1, 7.1.2, 9.3 (within a session), 10.2.2 (Browse/Review). */
function sessionViolations(
  session: string,
  list: XapiStatement[],
  launch: LaunchFacts | undefined,
): Cmi5Violation[] {
  const found: Cmi5Violation[] = [];
  const at = `session ${session}`;
  const launchIndex = list.findIndex((s) => s.verb?.id === CMI5_VERB.launched);
  const au = list.filter((s) => !LMS_VERBS.has(s.verb?.id ?? ''));
  if (!launch)
    found.push({ rule: 'no-launched', where: at, message: 'no Launched statement from the LMS (9.3.1)' });
  if (au.length === 0) return found;
  if (au[0]!.verb?.id !== CMI5_VERB.initialized) {
    found.push({
      rule: 'initialized-first',
      where: where(au[0]!),
      message: 'the first AU statement is not Initialized',
    });
  }
  if (launchIndex > list.indexOf(au[0]!)) {
    found.push({
      rule: 'no-launched',
      where: at,
      message: 'the AU spoke before the LMS recorded Launched (9.3.1)',
    });
  }
  const seen = new Set<string>();
  for (const s of au.filter(isDefined)) {
    const verb = s.verb?.id ?? '';
    if (seen.has(verb))
      found.push({ rule: 'duplicate-verb', where: where(s), message: 'a cmi5 verb twice in a session' });
    seen.add(verb);
  }
  if (seen.has(CMI5_VERB.passed) && seen.has(CMI5_VERB.failed)) {
    found.push({
      rule: 'passed-and-failed',
      where: at,
      message: 'both Passed and Failed in one session (9.3)',
    });
  }
  const terminatedAt = au.findIndex((s) => s.verb?.id === CMI5_VERB.terminated);
  // 9.3.6: a session the LMS recorded as Abandoned ended without Terminated.
  const abandoned = list.some((s) => s.verb?.id === CMI5_VERB.abandoned);
  if (terminatedAt === -1 && !abandoned)
    found.push({ rule: 'no-terminated', where: at, message: 'the session never Terminated (7.1.2)' });
  for (const s of terminatedAt === -1 ? [] : au.slice(terminatedAt + 1)) {
    found.push({
      rule: 'after-terminated',
      where: where(s),
      message: 'a statement after Terminated (9.3.8)',
    });
  }
  if (launch && launch.launchMode !== 'Normal') {
    for (const s of au.filter((x) => MOVE_ON_VERBS.has(x.verb?.id ?? ''))) {
      found.push({
        rule: 'not-normal-mode',
        where: where(s),
        message: `${verbName(s)} in ${launch.launchMode} mode (10.2.2)`,
      });
    }
  }
  return found;
}

/** 9.3, within a registration: at most one Completed, at most one Passed, no Failed after Passed. */
function registrationViolations(ordered: XapiStatement[]): Cmi5Violation[] {
  const found: Cmi5Violation[] = [];
  let completed = false;
  let passed = false;
  for (const s of ordered.filter(isDefined)) {
    const verb = s.verb?.id;
    if (verb === CMI5_VERB.completed) {
      if (completed)
        found.push({
          rule: 'second-completed',
          where: where(s),
          message: 'a second Completed in the registration',
        });
      completed = true;
    }
    if (verb === CMI5_VERB.failed && passed) {
      found.push({
        rule: 'failed-after-passed',
        where: where(s),
        message: 'Failed after Passed in the registration',
      });
    }
    if (verb === CMI5_VERB.passed) {
      if (passed)
        found.push({
          rule: 'second-passed',
          where: where(s),
          message: 'a second Passed in the registration',
        });
      passed = true;
    }
  }
  return found;
}
