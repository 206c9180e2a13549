import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  CMI5_IRI,
  CMI5_VERB,
  type Cmi5Expectation,
  type Cmi5VerbName,
  cmi5Violations,
  type XapiStatement,
} from '../../helpers/cmi5-rules.js';

// The browser tests trust this check to find what the AU does wrong, so each rule is seen to fire
// on a statement list that breaks it, and a well-behaved list is seen to pass.

const expected: Cmi5Expectation = {
  registration: '760e3480-ba55-4991-94b0-01820dbd23a2',
  activityId: 'http://lms.test/activities/au-1',
  actor: { objectType: 'Agent', account: { homePage: 'http://lms.test', name: 'learner-1' } },
};

const start = Date.parse('2026-12-06T10:00:00.000Z');

interface Launch {
  session: string;
  mode: 'Normal' | 'Browse' | 'Review';
  masteryScore?: number;
  clock: number;
}

function launch(mode: Launch['mode'] = 'Normal', masteryScore: number | undefined = 0.8, at = start): Launch {
  return { session: randomUUID(), mode, masteryScore, clock: at };
}

/** One statement of `l`'s session, one second after the previous one, shaped as cmi5 asks. */
function statement(l: Launch, verb: Cmi5VerbName, extra: Partial<XapiStatement> = {}): XapiStatement {
  l.clock += 1000;
  const moveOn = verb === 'completed' || verb === 'passed' || verb === 'failed';
  const judged = verb === 'passed' || verb === 'failed';
  const extensions: Record<string, unknown> = { [CMI5_IRI.sessionId]: l.session };
  if (verb === 'launched') {
    Object.assign(extensions, {
      [CMI5_IRI.launchMode]: l.mode,
      [CMI5_IRI.launchUrl]: 'http://content.test/au/index.html',
      [CMI5_IRI.moveOn]: 'CompletedAndPassed',
    });
  }
  if ((verb === 'launched' || judged) && l.masteryScore !== undefined) {
    extensions[CMI5_IRI.masteryScore] = l.masteryScore;
  }
  const result: XapiStatement['result'] = {};
  if (verb === 'completed') result.completion = true;
  if (judged) result.success = verb === 'passed';
  if (judged) result.score = { scaled: verb === 'passed' ? 0.9 : 0.5 };
  if (moveOn || verb === 'terminated') result.duration = 'PT1M2.5S';
  return {
    id: randomUUID(),
    actor: expected.actor,
    verb: { id: CMI5_VERB[verb] },
    object: { objectType: 'Activity', id: expected.activityId },
    ...(Object.keys(result).length ? { result } : {}),
    context: {
      registration: expected.registration,
      contextActivities: {
        grouping: [{ id: 'urn:publisher:au' }],
        category: [{ id: CMI5_IRI.category }, ...(moveOn ? [{ id: CMI5_IRI.moveOnCategory }] : [])],
      },
      extensions,
    },
    timestamp: new Date(l.clock).toISOString(),
    ...extra,
  };
}

function session(l: Launch, verbs: Cmi5VerbName[]): XapiStatement[] {
  return verbs.map((v) => statement(l, v));
}

const rules = (list: XapiStatement[]) => cmi5Violations(list, expected).map((v) => v.rule);

describe('cmi5 rules', () => {
  it('finds nothing wrong with a pass, a fail then a pass, or a Browse session', () => {
    const pass = session(launch(), ['launched', 'initialized', 'completed', 'passed', 'terminated']);
    expect(cmi5Violations(pass, expected)).toEqual([]);
    const first = launch();
    const second = launch('Normal', 0.8, start + 3_600_000);
    const retry = [
      ...session(first, ['launched', 'initialized', 'failed', 'terminated']),
      ...session(second, ['launched', 'initialized', 'completed', 'passed', 'terminated']),
    ];
    expect(cmi5Violations(retry, expected)).toEqual([]);
    expect(
      cmi5Violations(session(launch('Browse'), ['launched', 'initialized', 'terminated']), expected),
    ).toEqual([]);
  });

  it('orders by timestamp, not by the order the LRS stored them', () => {
    const list = session(launch(), ['launched', 'initialized', 'completed', 'passed', 'terminated']);
    expect(rules([list[0]!, list[4]!, list[2]!, list[1]!, list[3]!])).toEqual([]);
  });

  it('refuses a second Passed in the registration, even in a later session', () => {
    const later = launch('Normal', 0.8, start + 3_600_000);
    const list = [
      ...session(launch(), ['launched', 'initialized', 'completed', 'passed', 'terminated']),
      ...session(later, ['launched', 'initialized', 'passed', 'terminated']),
    ];
    expect(rules(list)).toEqual(['second-passed']);
  });

  it('refuses a second Completed in the registration', () => {
    const later = launch('Normal', 0.8, start + 3_600_000);
    const list = [
      ...session(launch(), ['launched', 'initialized', 'completed', 'terminated']),
      ...session(later, ['launched', 'initialized', 'completed', 'terminated']),
    ];
    expect(rules(list)).toEqual(['second-completed']);
  });

  it('refuses Failed after Passed, and Passed with Failed in one session', () => {
    const later = launch('Normal', 0.8, start + 3_600_000);
    const acrossSessions = [
      ...session(launch(), ['launched', 'initialized', 'passed', 'terminated']),
      ...session(later, ['launched', 'initialized', 'failed', 'terminated']),
    ];
    expect(rules(acrossSessions)).toEqual(['failed-after-passed']);
    const oneSession = session(launch(), ['launched', 'initialized', 'passed', 'failed', 'terminated']);
    expect(rules(oneSession)).toEqual(['passed-and-failed', 'failed-after-passed']);
  });

  it('refuses a statement after Terminated, and a session that never terminates', () => {
    expect(rules(session(launch(), ['launched', 'initialized', 'terminated', 'completed']))).toEqual([
      'after-terminated',
    ]);
    expect(rules(session(launch(), ['launched', 'initialized', 'completed']))).toEqual(['no-terminated']);
  });

  it('accepts a session the LMS recorded as Abandoned (9.3.6) instead of Terminated', () => {
    expect(rules(session(launch(), ['launched', 'initialized', 'abandoned']))).toEqual([]);
  });

  it('refuses Completed, Passed or Failed in Browse and Review mode', () => {
    expect(rules(session(launch('Browse'), ['launched', 'initialized', 'completed', 'terminated']))).toEqual([
      'not-normal-mode',
    ]);
    expect(rules(session(launch('Review'), ['launched', 'initialized', 'failed', 'terminated']))).toEqual([
      'not-normal-mode',
    ]);
  });

  it('refuses a statement without session id, registration or cmi5 category', () => {
    const l = launch();
    const [launched, initialized, completed, terminated] = session(l, [
      'launched',
      'initialized',
      'completed',
      'terminated',
    ]);
    const noSession = structuredClone(completed!);
    delete noSession.context!.extensions![CMI5_IRI.sessionId];
    expect(rules([launched!, initialized!, noSession, terminated!])).toEqual(['session-id']);
    const noRegistration = structuredClone(completed!);
    delete noRegistration.context!.registration;
    expect(rules([launched!, initialized!, noRegistration, terminated!])).toEqual(['registration']);
    const noCategory = structuredClone(completed!);
    noCategory.context!.contextActivities!.category = [{ id: CMI5_IRI.moveOnCategory }];
    expect(rules([launched!, initialized!, noCategory, terminated!])).toEqual(['cmi5-category']);
  });

  it('refuses Passed or Failed without the launch mastery score, or with a score on the wrong side of it', () => {
    for (const verb of ['passed', 'failed'] as const) {
      const l = launch('Normal', 0.8);
      const list = session(l, ['launched', 'initialized', verb, 'terminated']);
      delete list[2]!.context!.extensions![CMI5_IRI.masteryScore];
      expect(rules(list)).toEqual(['mastery-score']);
    }
    const wrongSide = session(launch('Normal', 0.8), ['launched', 'initialized', 'passed', 'terminated']);
    wrongSide[2]!.result!.score = { scaled: 0.7 };
    expect(rules(wrongSide)).toEqual(['mastery-score']);
    const noMastery = session(launch('Normal', undefined), [
      'launched',
      'initialized',
      'passed',
      'terminated',
    ]);
    expect(rules(noMastery)).toEqual([]);
  });

  it('refuses a session whose first AU statement is not Initialized, or whose Launched is missing', () => {
    expect(rules(session(launch(), ['launched', 'completed', 'initialized', 'terminated']))).toEqual([
      'initialized-first',
    ]);
    expect(rules(session(launch(), ['initialized', 'terminated']))).toEqual(['no-launched']);
  });

  it('refuses a statement id that is not a UUID, a missing timestamp, and a Launched that does not say how', () => {
    const list = session(launch(), ['launched', 'initialized', 'terminated']);
    delete list[0]!.context!.extensions![CMI5_IRI.launchMode];
    list[1]!.id = 'statement-1';
    list[2]!.timestamp = 'yesterday';
    expect(rules(list)).toEqual(['launched-context', 'statement-id', 'timestamp']);
  });

  it('refuses the wrong actor, object, moveOn category, result and a missing duration', () => {
    const list = session(launch(), ['launched', 'initialized', 'completed', 'terminated']);
    list[1]!.actor = { objectType: 'Agent', mbox: 'mailto:learner@example.com' };
    list[1]!.object = { id: 'http://elsewhere.test/au' };
    list[1]!.context!.contextActivities!.category!.push({ id: CMI5_IRI.moveOnCategory });
    delete list[2]!.result!.completion;
    delete list[3]!.result!.duration;
    expect(rules(list)).toEqual(['actor', 'object', 'moveon-category', 'result', 'duration']);
  });
});
