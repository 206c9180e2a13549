import { formatDay } from './display-dates.js';

/**
 * Plain-language sentences for the audit log (issue #28): what HR reads on a person's history
 * instead of action codes and ids. One entry per action the code writes (a unit test scans src/
 * and fails when an action has none); codes, ids and details stay in the page's details toggle
 * and the CSV. Links point at the HR page about the thing the event concerns. Sentences are plain
 * text: the view escapes them.
 */

/** The stored event fields a sentence reads. */
export interface AuditFacts {
  action: string;
  targetType: string;
  targetId: string;
  subjectId: string | null;
  details: Record<string, unknown>;
  /** The event's erasable personal part (domain/audit-personal.ts), e.g. HR's reason; gone once erased. */
  personal?: Record<string, unknown> | null;
}

export interface SentenceLink {
  href: string;
  label: string;
}

export interface AuditSentence {
  text: string;
  link: SentenceLink | null;
}

/** Names the log stores only as ids, looked up by the caller (the course files). */
export interface SentenceNames {
  lessonTitle?(courseId: string, lessonId: string): string | undefined;
}

type Phrase = (e: AuditFacts, names: SentenceNames) => AuditSentence;

// Detail readers: a detail of an unexpected type reads as absent, never as "undefined".
const str = (e: AuditFacts, key: string): string => {
  const v = e.details[key] ?? e.personal?.[key];
  return typeof v === 'string' ? v : '';
};
const num = (e: AuditFacts, key: string): number | null => {
  const v = e.details[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
};
const day = (e: AuditFacts, key: string): string => {
  const v = e.details[key];
  const d = v instanceof Date || typeof v === 'string' ? new Date(v) : null;
  return d && !Number.isNaN(d.getTime()) ? formatDay(d) : 'an unknown day';
};
const list = (e: AuditFacts, key: string): unknown[] => {
  const v = e.details[key];
  return Array.isArray(v) ? v : [];
};
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const quoted = (text: string) => (text ? `: “${text}”` : '');
const enc = encodeURIComponent;

const plain =
  (text: string): Phrase =>
  () => ({ text, link: null });
const say =
  (text: (e: AuditFacts) => string): Phrase =>
  (e) => ({ text: text(e), link: null });
const withLink =
  (text: (e: AuditFacts) => string, link: (e: AuditFacts) => SentenceLink | null): Phrase =>
  (e) => ({ text: text(e), link: link(e) });

// The HR pages an event can point at; null when the event lacks what the address needs.
const person = (e: AuditFacts) => (e.subjectId ? `/hr/people/${enc(e.subjectId)}` : null);
const cycleNo = (e: AuditFacts) => num(e, 'cycleNo') ?? Number(e.targetId.split(':').pop());
const attemptsLink = (e: AuditFacts): SentenceLink | null => {
  const p = person(e);
  const course = str(e, 'courseId');
  return p && course ? { href: `${p}/courses/${enc(course)}/attempts`, label: 'Quiz attempts' } : null;
};
const cyclePage =
  (page: 'attested' | 'evidence', label: string) =>
  (e: AuditFacts): SentenceLink | null => {
    const p = person(e);
    const course = str(e, 'courseId');
    const n = cycleNo(e);
    return p && course && Number.isInteger(n) ? { href: `${p}/${page}/${enc(course)}/${n}`, label } : null;
  };
const certificateLink = (e: AuditFacts): SentenceLink => ({
  href: `/verify/${enc(e.targetId)}`,
  label: 'Certificate check',
});
const policyLink = (e: AuditFacts): SentenceLink => ({
  href: `/hr/courses/${enc(e.targetId)}/policy`,
  label: 'Policy versions',
});
const feedbackLink = (): SentenceLink => ({ href: '/hr/feedback', label: 'Policy feedback' });
const courseSettingsLink = (e: AuditFacts): SentenceLink => ({
  href: `/hr/courses/${enc(e.targetId)}/settings`,
  label: 'Course settings',
});

const FIELD_NAMES: Record<string, string> = {
  name: 'name',
  email: 'e-mail',
  employeeId: 'employee ID',
  department: 'department',
  managerId: 'manager',
  active: 'status',
  hireDate: 'hire date',
  region: 'region',
  locale: 'language',
};
const fieldNames = (e: AuditFacts) =>
  list(e, 'fields')
    .map((f) => FIELD_NAMES[String(f)] ?? 'other details')
    .filter((f, i, all) => all.indexOf(f) === i)
    .join(', ');

function submitted(e: AuditFacts): string {
  const score = num(e, 'score') ?? 0;
  const late = e.details.timedOut === true ? ' (time ran out)' : '';
  if (str(e, 'purpose') === 'pretest') return `Finished the refresher check with ${score} %${late}`;
  const n = num(e, 'n');
  if (e.details.passed === true) return `Passed the quiz with ${score} %${n ? ` (attempt ${n})` : ''}${late}`;
  return `Failed quiz attempt ${n ?? ''} with ${score} %${late}`.replace('attempt  ', 'attempt ');
}

function decided(e: AuditFacts): string {
  const study = list(e, 'study').length;
  if (study === 0) return 'Refresher check decided: tested out of every clause';
  return `Refresher check decided: studies ${plural(study, 'clause')}, tested out of ${list(e, 'testedOut').length}`;
}

const SSO_SECTIONS: Record<string, string> = {
  connection: 'connection',
  mapping: 'claim mapping',
  password: 'password sign-in switch',
};

export const AUDIT_SENTENCES: Readonly<Record<string, Phrase>> = {
  // Signing in
  'login.success': plain('Signed in'),
  'login.failure': say((e) =>
    str(e, 'reason') === 'password_sign_in_off'
      ? 'Sign-in refused: password sign-in is switched off'
      : 'Sign-in failed: wrong password',
  ),
  'login.failures-alert': say(
    (e) => `Warned by e-mail after ${plural(num(e, 'failures') ?? 0, 'failed sign-in')}`,
  ),
  'login.sso.success': plain('Signed in with single sign-on'),
  'login.sso.failure': plain('Single sign-on failed'),
  'sso.config.changed': say(
    (e) => `Changed the single sign-on ${SSO_SECTIONS[str(e, 'section')] ?? 'settings'}`,
  ),
  'sso.config.refreshed': plain("Single sign-on certificates updated from the identity provider's metadata"),
  'sso.config.refresh_refused': plain('Refused a metadata update that named a different identity provider'),
  // Directory (SCIM) and people
  'scim.user.deleted': plain('Removed by the company directory'),
  'scim.group.created': say((e) => `Directory group “${str(e, 'displayName')}” created`),
  'scim.group.updated': say((e) => `Directory group “${str(e, 'displayName')}” updated`),
  'scim.group.deleted': say((e) => `Directory group “${str(e, 'displayName')}” deleted`),
  'scim.token.created': say((e) => `Directory access token created${quoted(str(e, 'label'))}`),
  'scim.token.revoked': plain('Directory access token revoked'),
  'person.created': say((e) =>
    str(e, 'via') === 'scim'
      ? 'Added by the company directory'
      : str(e, 'via') === 'cli'
        ? 'Added from the command line'
        : 'Added',
  ),
  'person.updated': say((e) => `Details changed: ${fieldNames(e) || 'none listed'}`),
  'person.deactivated': plain('Deactivated'),
  'person.erased': say((e) =>
    str(e, 'reason') === 'retention'
      ? 'Personal data erased: the records retention period after leaving ran out'
      : 'Personal data erased on request',
  ),
  'retention.applied': plain('Retention rules applied: expired personal data removed'),
  'retention.settings.changed': plain('Retention settings changed'),
  'person.sso.linked': plain('Linked to a single sign-on account'),
  'role.changed': say((e) => `Role changed from ${str(e, 'from') || 'none'} to ${str(e, 'to') || 'none'}`),
  'people.imported': say(
    (e) =>
      `People imported from ${str(e, 'fileName') || 'a file'}: ${num(e, 'created') ?? 0} added, ${num(e, 'updated') ?? 0} updated`,
  ),
  // Assignments and course settings
  'assignment.created': say(
    (e) => `Training assigned by a new rule to ${plural(num(e, 'assigned') ?? 0, 'person', 'people')}`,
  ),
  'assignment.rule.retired': plain('Assignment rule retired'),
  'assignment.extended': say(
    (e) => `Due date moved from ${day(e, 'from')} to ${day(e, 'to')}${quoted(str(e, 'reason'))}`,
  ),
  'assignment.assigned': say((e) => `Training assigned, due ${day(e, 'dueAt')}`),
  'reminder.sent': say((e) => remindersSentence(list(e, 'reminders'))),
  'person.exported': plain('Included in a CSV export of people'),
  'course.settings.changed': withLink(() => 'Course settings changed', courseSettingsLink),
  'course.renewal.requested': withLink(
    (e) => `Renewal requested from everyone, due ${day(e, 'dueAt')}${quoted(str(e, 'reason'))}`,
    courseSettingsLink,
  ),
  'scorm.export': say((e) => `SCORM package downloaded (${str(e, 'format') || 'SCORM'})`),
  // Learning
  'lesson.viewed': (e, names) => {
    const title = names.lessonTitle?.(str(e, 'courseId'), str(e, 'lessonId'));
    return { text: title ? `Read the lesson “${title}”` : 'Read a lesson', link: null };
  },
  'feedback.submitted': withLink(
    (e) =>
      str(e, 'kind') === 'question' ? 'Asked a question about a lesson' : 'Suggested a change to a lesson',
    feedbackLink,
  ),
  'feedback.handled': withLink(() => 'Feedback marked as handled', feedbackLink),
  'refresher.decided': withLink(decided, attemptsLink),
  'refresher.changed': say(
    (e) => `Refresher updated after a policy change: ${plural(list(e, 'added').length, 'clause')} added`,
  ),
  'refresher.declined': plain('Skipped the refresher check: takes the full course'),
  // Quiz
  'attempt.started': withLink(
    (e) =>
      str(e, 'purpose') === 'pretest'
        ? 'Started the refresher check'
        : `Started quiz attempt ${num(e, 'n') ?? ''}`.trim(),
    attemptsLink,
  ),
  'attempt.submitted': withLink(submitted, attemptsLink),
  'attempts.granted': withLink(
    (e) => `Given ${plural(num(e, 'count') ?? 0, 'extra quiz attempt')}${quoted(str(e, 'reason'))}`,
    attemptsLink,
  ),
  // Records
  attested: withLink(
    (e) => {
      const version = num(e, 'policyVersion');
      return `Attested policy version ${version ?? `${str(e, 'contentVersion').slice(0, 4)}…`}`;
    },
    cyclePage('attested', 'The policy text signed'),
  ),
  'cycle.completed': withLink(
    (e) => {
      const score = num(e, 'score');
      return `Completed the training${score === null ? '' : ` with ${score} %`}`;
    },
    cyclePage('evidence', 'Evidence pack'),
  ),
  'certificate.issued': withLink(() => 'Certificate issued', certificateLink),
  'certificate.revoked': withLink((e) => `Certificate revoked${quoted(str(e, 'reason'))}`, certificateLink),
  'evidence.exported': withLink(() => 'Evidence pack downloaded', cyclePage('evidence', 'Evidence pack')),
  'report.compliance.exported': plain('Compliance report downloaded'),
  // Policy versions and the organisation
  'policy.draft.edited': withLink(() => 'Policy draft: a clause was edited', policyLink),
  'policy.draft.reverted': withLink(() => 'Policy draft: a clause was put back as published', policyLink),
  'policy.draft.submitted': withLink(() => 'Policy draft submitted for approval', policyLink),
  'policy.draft.discarded': withLink(() => 'Policy draft discarded', policyLink),
  'policy.version.published': withLink(
    (e) => `Policy version ${num(e, 'n') ?? ''} published`.replace('  ', ' '),
    policyLink,
  ),
  'org.profile.changed': plain('Organisation profile changed'),
};

/** The sentence for one stored event; an action without an entry reads neutrally (never its code). */
export function auditSentence(event: AuditFacts, names: SentenceNames = {}): AuditSentence {
  const phrase = AUDIT_SENTENCES[event.action];
  return phrase ? phrase(event, names) : { text: 'Something was recorded', link: null };
}

const REMINDER_SENTENCES: Record<string, string> = {
  assigned: 'Reminder sent: newly assigned',
  'before-due': 'Reminder sent: due soon',
  'due-today': 'Reminder sent: due today',
  overdue: 'Reminder sent: overdue',
  escalation: 'Reminder sent: overdue, copied to the manager',
  spaced: 'Practice reminder sent',
};

/** A reminder the sweep recorded (its exactly-once key), as the history lists it. */
export function reminderSentence(kind: string): string {
  return REMINDER_SENTENCES[kind] ?? 'Reminder sent';
}

/**
 * One `reminder.sent` event: a bulk "remind now" records every course a person was reminded of in
 * one event, so each distinct kind is named, not only the first.
 */
function remindersSentence(reminders: readonly unknown[]): string {
  const kinds = reminders.map((r) => {
    const kind = (r as { kind?: unknown } | null)?.kind;
    return typeof kind === 'string' ? kind : '';
  });
  if (kinds.length <= 1) return reminderSentence(kinds[0] ?? '');
  const prefix = 'Reminder sent: ';
  const named = kinds
    .map((k) => REMINDER_SENTENCES[k])
    .filter((s): s is string => s !== undefined)
    .map((s) => (s.startsWith(prefix) ? s.slice(prefix.length) : s.toLowerCase()));
  const what = [...new Set(named)].join('; ');
  return `Reminders sent for ${plural(kinds.length, 'course')}${what ? `: ${what}` : ''}`;
}

/**
 * An event's details as HR's history and the personal-data export show them. Versions before issue
 * #21's fix wrote an attempt's drawn question ids into `attempt.started`: never shown there (an
 * open attempt's questions stay on the server). The evidence pack keeps its own rule: it names them
 * as withheld and shows them once the attempt is graded.
 */
export function shownAuditDetails(e: Pick<AuditFacts, 'action' | 'details'>): Record<string, unknown> {
  const { questions: _drawn, ...rest } = e.details ?? {};
  return e.action === 'attempt.started' ? rest : (e.details ?? {});
}
