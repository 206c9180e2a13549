/**
 * Plain-language sentences for the audit log (issue #28): what HR reads on a person's history
 * instead of action codes and ids. One entry per action the code writes (a unit test scans src/
 * and fails when an action has none); codes, ids and details stay in the page's details toggle
 * and the CSV. Links point at the HR page about the thing the event concerns. Sentences are plain
 * text: the view escapes them. Each is a catalogue message (people.json, "people.audit.*") in the
 * reader's language, through the `Wording` the caller hands in (the page's translator), so this
 * file needs no i18n library.
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

/** The reader's language: messages by key and days (the page's translator satisfies it). */
export interface Wording {
  t(key: string, values?: Record<string, string | number | Date>): string;
  day(date: Date): string;
}

type Phrase = (e: AuditFacts, names: SentenceNames, w: Wording) => AuditSentence;

const K = 'people.audit.';

// Detail readers: a detail of an unexpected type reads as absent, never as "undefined".
const str = (e: AuditFacts, key: string): string => {
  const v = e.details[key] ?? e.personal?.[key];
  return typeof v === 'string' ? v : '';
};
const num = (e: AuditFacts, key: string): number | null => {
  const v = e.details[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
};
const day = (e: AuditFacts, key: string, w: Wording): string => {
  const v = e.details[key];
  const d = v instanceof Date || typeof v === 'string' ? new Date(v) : null;
  return d && !Number.isNaN(d.getTime()) ? w.day(d) : w.t(`${K}unknownDay`);
};
const list = (e: AuditFacts, key: string): unknown[] => {
  const v = e.details[key];
  return Array.isArray(v) ? v : [];
};
/** HR's reason or a label, quoted after the sentence: ': “Leave”', or nothing. */
const quoted = (text: string, w: Wording) => (text ? w.t(`${K}quoted`, { text }) : '');
const enc = encodeURIComponent;

/** A sentence that reads the same whatever the event holds. */
const plain =
  (key: string): Phrase =>
  (_e, _n, w) => ({ text: w.t(K + key), link: null });
const say =
  (text: (e: AuditFacts, w: Wording) => string): Phrase =>
  (e, _n, w) => ({ text: text(e, w), link: null });
const withLink =
  (
    text: (e: AuditFacts, w: Wording) => string,
    link: (e: AuditFacts, w: Wording) => SentenceLink | null,
  ): Phrase =>
  (e, _n, w) => ({ text: text(e, w), link: link(e, w) });
const fixed = (key: string) => (_e: AuditFacts, w: Wording) => w.t(K + key);

// The HR pages an event can point at; null when the event lacks what the address needs.
const person = (e: AuditFacts) => (e.subjectId ? `/hr/people/${enc(e.subjectId)}` : null);
const cycleNo = (e: AuditFacts) => num(e, 'cycleNo') ?? Number(e.targetId.split(':').pop());
const attemptsLink = (e: AuditFacts, w: Wording): SentenceLink | null => {
  const p = person(e);
  const course = str(e, 'courseId');
  return p && course
    ? { href: `${p}/courses/${enc(course)}/attempts`, label: w.t(`${K}link.attempts`) }
    : null;
};
const cyclePage =
  (page: 'attested' | 'evidence', labelKey: string) =>
  (e: AuditFacts, w: Wording): SentenceLink | null => {
    const p = person(e);
    const course = str(e, 'courseId');
    const n = cycleNo(e);
    return p && course && Number.isInteger(n)
      ? { href: `${p}/${page}/${enc(course)}/${n}`, label: w.t(K + labelKey) }
      : null;
  };
const certificateLink = (e: AuditFacts, w: Wording): SentenceLink => ({
  href: `/verify/${enc(e.targetId)}`,
  label: w.t(`${K}link.certificate`),
});
const policyLink = (e: AuditFacts, w: Wording): SentenceLink => ({
  href: `/hr/courses/${enc(e.targetId)}/policy`,
  label: w.t(`${K}link.policy`),
});
const feedbackLink = (_e: AuditFacts, w: Wording): SentenceLink => ({
  href: '/hr/feedback',
  label: w.t(`${K}link.feedback`),
});
const courseSettingsLink = (e: AuditFacts, w: Wording): SentenceLink => ({
  href: `/hr/courses/${enc(e.targetId)}/settings`,
  label: w.t(`${K}link.courseSettings`),
});

const FIELD_KEYS: Record<string, string> = {
  name: 'field.name',
  email: 'field.email',
  employeeId: 'field.employeeId',
  department: 'field.department',
  managerId: 'field.manager',
  active: 'field.status',
  hireDate: 'field.hireDate',
  region: 'field.region',
  locale: 'field.language',
};
const fieldNames = (e: AuditFacts, w: Wording) =>
  list(e, 'fields')
    .map((f) => w.t(K + (FIELD_KEYS[String(f)] ?? 'field.other')))
    .filter((f, i, all) => all.indexOf(f) === i)
    .join(', ');

function submitted(e: AuditFacts, w: Wording): string {
  const score = num(e, 'score') ?? 0;
  const late = e.details.timedOut === true ? 'yes' : 'no';
  if (str(e, 'purpose') === 'pretest') return w.t(`${K}pretestFinished`, { score, late });
  const n = num(e, 'n');
  if (e.details.passed === true)
    return w.t(`${K}quizPassed`, { score, late, hasN: n ? 'yes' : 'no', n: n ?? 0 });
  return w.t(`${K}quizFailed`, { score, late, n: n ?? '' }).replace('  ', ' ');
}

function decided(e: AuditFacts, w: Wording): string {
  const study = list(e, 'study').length;
  if (study === 0) return w.t(`${K}refresherAllOut`);
  return w.t(`${K}refresherDecided`, { study, testedOut: list(e, 'testedOut').length });
}

const SSO_SECTIONS: Record<string, string> = {
  connection: 'sso.connection',
  mapping: 'sso.mapping',
  password: 'sso.password',
};

export const AUDIT_SENTENCES: Readonly<Record<string, Phrase>> = {
  // Signing in
  'login.success': plain('signedIn'),
  'login.failure': say((e, w) =>
    w.t(K + (str(e, 'reason') === 'password_sign_in_off' ? 'signInRefused' : 'signInFailed')),
  ),
  'login.failures-alert': say((e, w) => w.t(`${K}failuresAlert`, { count: num(e, 'failures') ?? 0 })),
  'login.sso.success': plain('signedInSso'),
  'login.sso.failure': plain('ssoFailed'),
  'sso.config.changed': say((e, w) =>
    w.t(`${K}ssoChanged`, { section: w.t(K + (SSO_SECTIONS[str(e, 'section')] ?? 'sso.settings')) }),
  ),
  'sso.config.refreshed': plain('ssoRefreshed'),
  'xapi.config.changed': say((_e, w) => w.t('admin.xapi.auditChanged')),
  'xapi.statement.requeued': say((_e, w) => w.t('admin.xapi.auditRequeued')),
  'xapi.statement.discarded': say((_e, w) => w.t('admin.xapi.auditDiscarded')),
  'sso.config.refresh_refused': plain('ssoRefreshRefused'),
  // Directory (SCIM) and people
  'scim.user.deleted': plain('scimUserDeleted'),
  'scim.group.created': say((e, w) => w.t(`${K}scimGroupCreated`, { name: str(e, 'displayName') })),
  'scim.group.updated': say((e, w) => w.t(`${K}scimGroupUpdated`, { name: str(e, 'displayName') })),
  'scim.group.deleted': say((e, w) => w.t(`${K}scimGroupDeleted`, { name: str(e, 'displayName') })),
  'scim.token.created': say((e, w) => w.t(`${K}scimTokenCreated`) + quoted(str(e, 'label'), w)),
  'scim.token.revoked': plain('scimTokenRevoked'),
  'person.created': say((e, w) =>
    w.t(K + (str(e, 'via') === 'scim' ? 'addedScim' : str(e, 'via') === 'cli' ? 'addedCli' : 'added')),
  ),
  'person.updated': say((e, w) =>
    w.t(`${K}detailsChanged`, { fields: fieldNames(e, w) || w.t(`${K}noneListed`) }),
  ),
  'person.deactivated': plain('deactivated'),
  'person.erased': say((e, w) =>
    w.t(K + (str(e, 'reason') === 'retention' ? 'erasedRetention' : 'erasedRequest')),
  ),
  'retention.applied': plain('retentionApplied'),
  'retention.settings.changed': plain('retentionChanged'),
  'person.sso.linked': plain('ssoLinked'),
  'role.changed': say((e, w) =>
    w.t(`${K}roleChanged`, {
      from: str(e, 'from') || w.t(`${K}none`),
      to: str(e, 'to') || w.t(`${K}none`),
    }),
  ),
  'people.imported': say((e, w) =>
    w.t(`${K}peopleImported`, {
      file: str(e, 'fileName') || w.t(`${K}aFile`),
      created: num(e, 'created') ?? 0,
      updated: num(e, 'updated') ?? 0,
    }),
  ),
  // Assignments and course settings
  'assignment.created': say((e, w) => w.t(`${K}ruleAssigned`, { count: num(e, 'assigned') ?? 0 })),
  'assignment.rule.retired': plain('ruleRetired'),
  'assignment.extended': say(
    (e, w) =>
      w.t(`${K}dueMoved`, { from: day(e, 'from', w), to: day(e, 'to', w) }) + quoted(str(e, 'reason'), w),
  ),
  'assignment.assigned': say((e, w) => w.t(`${K}assigned`, { due: day(e, 'dueAt', w) })),
  'reminder.sent': say((e, w) => remindersSentence(list(e, 'reminders'), w)),
  'person.exported': plain('exported'),
  'course.settings.changed': withLink(fixed('courseSettingsChanged'), courseSettingsLink),
  'course.renewal.requested': withLink(
    (e, w) => w.t(`${K}renewalRequested`, { due: day(e, 'dueAt', w) }) + quoted(str(e, 'reason'), w),
    courseSettingsLink,
  ),
  'scorm.export': say((e, w) => w.t(`${K}scormExport`, { format: str(e, 'format') || 'SCORM' })),
  'cmi5.export': say((_e, w) => w.t(`${K}scormExport`, { format: 'cmi5' })),
  // Learning
  'lesson.viewed': (e, names, w) => {
    const title = names.lessonTitle?.(str(e, 'courseId'), str(e, 'lessonId'));
    return { text: title ? w.t(`${K}lessonRead`, { title }) : w.t(`${K}aLessonRead`), link: null };
  },
  'feedback.submitted': withLink(
    (e, w) => w.t(K + (str(e, 'kind') === 'question' ? 'feedbackQuestion' : 'feedbackSuggestion')),
    feedbackLink,
  ),
  'feedback.handled': withLink(fixed('feedbackHandled'), feedbackLink),
  'refresher.decided': withLink(decided, attemptsLink),
  'refresher.changed': say((e, w) => w.t(`${K}refresherChanged`, { count: list(e, 'added').length })),
  'refresher.declined': plain('refresherDeclined'),
  // Quiz
  'attempt.started': withLink(
    (e, w) =>
      str(e, 'purpose') === 'pretest'
        ? w.t(`${K}pretestStarted`)
        : w.t(`${K}attemptStarted`, { n: num(e, 'n') ?? '' }).trim(),
    attemptsLink,
  ),
  'attempt.submitted': withLink(submitted, attemptsLink),
  'attempts.granted': withLink(
    (e, w) => w.t(`${K}attemptsGranted`, { count: num(e, 'count') ?? 0 }) + quoted(str(e, 'reason'), w),
    attemptsLink,
  ),
  // Records
  attested: withLink(
    (e, w) => {
      const version = num(e, 'policyVersion');
      return w.t(`${K}attested`, { version: version ?? `${str(e, 'contentVersion').slice(0, 4)}…` });
    },
    cyclePage('attested', 'link.attested'),
  ),
  'cycle.completed': withLink(
    (e, w) => {
      const score = num(e, 'score');
      return w.t(`${K}completed`, { hasScore: score === null ? 'no' : 'yes', score: score ?? 0 });
    },
    cyclePage('evidence', 'link.evidence'),
  ),
  'certificate.issued': withLink(fixed('certificateIssued'), certificateLink),
  'certificate.revoked': withLink(
    (e, w) => w.t(`${K}certificateRevoked`) + quoted(str(e, 'reason'), w),
    certificateLink,
  ),
  'evidence.exported': withLink(fixed('evidenceExported'), cyclePage('evidence', 'link.evidence')),
  'report.compliance.exported': plain('complianceExported'),
  // Policy versions and the organisation
  'policy.draft.edited': withLink(fixed('draftEdited'), policyLink),
  'policy.draft.reverted': withLink(fixed('draftReverted'), policyLink),
  'policy.draft.submitted': withLink(fixed('draftSubmitted'), policyLink),
  'policy.draft.discarded': withLink(fixed('draftDiscarded'), policyLink),
  'policy.version.published': withLink(
    (e, w) => w.t(`${K}versionPublished`, { n: num(e, 'n') ?? '' }).replace('  ', ' '),
    policyLink,
  ),
  'policy.translation.saved': withLink(
    (e, w) =>
      w.t('policyTranslation.audit.saved', {
        language: str(e, 'language'),
        clauseId: str(e, 'clauseId'),
        n: num(e, 'n') ?? '',
      }),
    policyLink,
  ),
  'org.profile.changed': plain('orgProfileChanged'),
};

/** The sentence for one stored event; an action without an entry reads neutrally (never its code). */
export function auditSentence(event: AuditFacts, names: SentenceNames, w: Wording): AuditSentence {
  const phrase = AUDIT_SENTENCES[event.action];
  return phrase ? phrase(event, names, w) : { text: w.t(`${K}somethingRecorded`), link: null };
}

const REMINDER_KINDS = new Set(['assigned', 'before-due', 'due-today', 'overdue', 'escalation', 'spaced']);

/** A reminder the sweep recorded (its exactly-once key), as the history lists it. */
export function reminderSentence(kind: string, w: Wording): string {
  return REMINDER_KINDS.has(kind) ? w.t(`${K}reminder.${kind}`) : w.t(`${K}reminderSent`);
}

/**
 * One `reminder.sent` event: a bulk "remind now" records every course a person was reminded of in
 * one event, so each distinct kind is named, not only the first.
 */
function remindersSentence(reminders: readonly unknown[], w: Wording): string {
  const kinds = reminders.map((r) => {
    const kind = (r as { kind?: unknown } | null)?.kind;
    return typeof kind === 'string' ? kind : '';
  });
  if (kinds.length <= 1) return reminderSentence(kinds[0] ?? '', w);
  const named = kinds.filter((k) => REMINDER_KINDS.has(k)).map((k) => w.t(`${K}reminderKind.${k}`));
  const what = [...new Set(named)].join('; ');
  return w.t(`${K}remindersSent`, { count: kinds.length, what, hasWhat: what ? 'yes' : 'no' });
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
