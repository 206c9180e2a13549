/**
 * The xAPI 1.0.3 requirements (xAPI-Data.md §2.4) a statement the web app builds must meet, checked
 * field by field: no well-kept statement validator is installed, and Ralph (the integration tests'
 * LRS) checks the same rules again on receipt. Returns the problems found, [] for a valid statement.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const LANGUAGE_TAG = /^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/;
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const INTERACTION_TYPES = [
  'true-false',
  'choice',
  'fill-in',
  'long-fill-in',
  'matching',
  'performance',
  'sequencing',
  'likert',
  'numeric',
  'other',
];

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function isIri(v: unknown): boolean {
  if (typeof v !== 'string') return false;
  try {
    return /^[a-z][a-z0-9+.-]*:/i.test(v) && new URL(v).protocol.length > 1;
  } catch {
    return false;
  }
}

function languageMapProblems(where: string, v: unknown): string[] {
  if (!isObject(v) || Object.keys(v).length === 0) return [`${where} is not a non-empty language map`];
  return Object.entries(v).flatMap(([tag, text]) =>
    LANGUAGE_TAG.test(tag) && typeof text === 'string' && text !== ''
      ? []
      : [`${where}.${tag} is not a tagged string`],
  );
}

function actorProblems(actor: unknown): string[] {
  if (!isObject(actor)) return ['actor missing'];
  const ifis = ['mbox', 'mbox_sha1sum', 'openid', 'account'].filter((k) => actor[k] !== undefined);
  if (ifis.length !== 1) return [`actor has ${ifis.length} identifiers, exactly one is required`];
  if (actor.mbox !== undefined && !/^mailto:[^@\s]+@[^@\s]+$/.test(String(actor.mbox)))
    return ['actor.mbox is not a mailto: IRI'];
  if (actor.account !== undefined) {
    const account = actor.account;
    if (
      !isObject(account) ||
      !isIri(account.homePage) ||
      typeof account.name !== 'string' ||
      account.name === ''
    )
      return ['actor.account needs homePage (IRL) and name'];
  }
  return actor.objectType === undefined || actor.objectType === 'Agent'
    ? []
    : ['actor.objectType is not Agent'];
}

function objectProblems(object: unknown): string[] {
  if (!isObject(object) || !isIri(object.id)) return ['object.id is not an IRI'];
  if (object.objectType !== undefined && object.objectType !== 'Activity')
    return ['object is not an Activity'];
  const definition = object.definition;
  if (definition === undefined) return [];
  if (!isObject(definition)) return ['object.definition is not an object'];
  const problems: string[] = [];
  if (definition.name !== undefined)
    problems.push(...languageMapProblems('object.definition.name', definition.name));
  if (definition.type !== undefined && !isIri(definition.type))
    problems.push('object.definition.type is not an IRI');
  if (definition.interactionType !== undefined) {
    if (!INTERACTION_TYPES.includes(String(definition.interactionType)))
      problems.push('unknown interactionType');
    if (definition.type !== 'http://adlnet.gov/expapi/activities/cmi.interaction')
      problems.push('an interaction activity should have type cmi.interaction');
  }
  return problems;
}

function resultProblems(result: unknown): string[] {
  if (result === undefined) return [];
  if (!isObject(result)) return ['result is not an object'];
  const problems: string[] = [];
  const score = result.score;
  if (score !== undefined) {
    const scaled = isObject(score) ? score.scaled : undefined;
    if (typeof scaled !== 'number' || scaled < -1 || scaled > 1)
      problems.push('result.score.scaled is not in [-1, 1]');
  }
  for (const flag of ['success', 'completion'] as const)
    if (result[flag] !== undefined && typeof result[flag] !== 'boolean')
      problems.push(`result.${flag} is not boolean`);
  if (result.response !== undefined && typeof result.response !== 'string')
    problems.push('result.response is not a string');
  return problems;
}

function contextProblems(context: unknown): string[] {
  if (context === undefined) return [];
  if (!isObject(context)) return ['context is not an object'];
  const problems: string[] = [];
  if (context.registration !== undefined && !UUID.test(String(context.registration)))
    problems.push('context.registration is not a UUID');
  if (context.language !== undefined && !LANGUAGE_TAG.test(String(context.language)))
    problems.push('context.language is not an RFC 5646 tag');
  const activities = context.contextActivities;
  if (activities !== undefined) {
    if (!isObject(activities)) return [...problems, 'contextActivities is not an object'];
    for (const [kind, list] of Object.entries(activities)) {
      if (!['parent', 'grouping', 'category', 'other'].includes(kind))
        problems.push(`contextActivities.${kind} unknown`);
      if (!Array.isArray(list) || list.some((a) => !isObject(a) || !isIri(a.id)))
        problems.push(`contextActivities.${kind} is not a list of activities`);
    }
  }
  return problems;
}

export function statementProblems(statement: unknown): string[] {
  if (!isObject(statement)) return ['not an object'];
  const problems: string[] = [];
  if (!UUID.test(String(statement.id))) problems.push('id is not a UUID');
  problems.push(...actorProblems(statement.actor));
  const verb = statement.verb;
  if (!isObject(verb) || !isIri(verb.id)) problems.push('verb.id is not an IRI');
  else if (verb.display !== undefined) problems.push(...languageMapProblems('verb.display', verb.display));
  problems.push(...objectProblems(statement.object), ...resultProblems(statement.result));
  problems.push(...contextProblems(statement.context));
  if (!ISO_TIMESTAMP.test(String(statement.timestamp))) problems.push('timestamp is not ISO 8601');
  const allowed = ['id', 'actor', 'verb', 'object', 'result', 'context', 'timestamp'];
  for (const key of Object.keys(statement))
    if (!allowed.includes(key)) problems.push(`unexpected property ${key}`);
  return problems;
}
