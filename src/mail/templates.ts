import { formatFingerprint } from '../domain/audit-anchor.js';
import { type Language, SOURCE_LANGUAGE, shippedLanguage } from '../domain/i18n/languages.js';
import type { OrgProfile } from '../domain/org-profile.js';
import type { ReminderKind } from '../domain/reminders.js';
import { type Translator, translator } from '../i18n/translator.js';

/** Every message has a plain-text part and an HTML part, and links straight to the training. */
export interface MessageBody {
  subject: string;
  text: string;
  html: string;
}

function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

function dueText(t: Translator, d: Date | null): string {
  return d ? t.day(d) : t.t('mail.noDate');
}

/** Who sends the training's e-mails, and whom to ask about them: from the organisation profile. */
export interface MailOrganisation {
  name: string;
  /** The HR contact's name and channel; empty before an admin saves a profile. */
  hrName: string;
  hrChannel: string;
  /** The language of people who chose none (the profile's default language); English without one. */
  defaultLanguage?: Language;
}

export function mailOrganisation(profile: OrgProfile): MailOrganisation {
  const defaultLanguage = shippedLanguage(profile.defaultLanguage);
  return {
    name: profile.name,
    hrName: profile.contacts.hr.name,
    hrChannel: profile.contacts.hr.channel,
    ...(defaultLanguage ? { defaultLanguage } : {}),
  };
}

/**
 * The language of a message to a person: the one they chose (the person's `locale`; '' = none),
 * else the organisation's default, else English. No browser is there to ask.
 */
export function recipientLanguage(
  person: { locale?: string | null } | null,
  org: MailOrganisation,
): Language {
  return shippedLanguage(person?.locale) ?? org.defaultLanguage ?? SOURCE_LANGUAGE;
}

/** The closing line every message has: whom to ask, then the organisation's name as the signature. */
function askLine(t: Translator, org: MailOrganisation): string {
  if (org.hrName && org.hrChannel)
    return t.t('mail.ask.channel', { name: org.hrName, channel: org.hrChannel });
  return org.hrName ? t.t('mail.ask.name', { name: org.hrName }) : t.t('mail.ask.hr');
}

function render(
  t: Translator,
  subject: string,
  paragraphs: string[],
  link: { href: string; label: string },
  org: MailOrganisation,
): MessageBody {
  const ask = askLine(t, org);
  const text = [...paragraphs, `${link.label}: ${link.href}`, ask, '', `— ${org.name}`].join('\n\n');
  const html = [
    `<!doctype html><html lang="${t.lang}" dir="${t.dir}"><body style="font-family:sans-serif;line-height:1.5">`,
    ...paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    `<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.label)}</a></p>`,
    `<p style="color:#555">${escapeHtml(t.t('mail.linkFallback', { href: link.href }))}</p>`,
    `<p>${escapeHtml(ask)}</p>`,
    `<p>— ${escapeHtml(org.name)}</p></body></html>`,
  ].join('\n');
  return { subject, text, html };
}

export interface ReminderContext {
  kind: ReminderKind;
  personName: string;
  courseTitle: string;
  dueAt: Date | null;
  cycleNo: number;
  requirement: 'full' | 'attest-only';
  /** The published policy version (course.policyVersion): an attest-only reminder names it. */
  policyVersion?: number;
  /** `${BASE_URL}/learn/<courseId>` */
  link: string;
  /** Set when the message goes to (or is copied to) the manager. */
  managerName?: string | null;
  /** The sender's name and HR contact (mailOrganisation). */
  org: MailOrganisation;
  /** Spaced refresher: the clauses most due for review (their titles), and the practice's address. */
  spaced?: { clauseTitles: string[]; link: string } | null;
  /** The recipient's language (recipientLanguage); English when absent. */
  lang?: Language;
}

/**
 * What a re-attestation asks, said in every reminder of an attest-only cycle: the policy changed
 * (which version), only a re-read of what changed and an attestation are needed, and by when.
 */
function reattestLines(t: Translator, c: ReminderContext, due: string): string[] {
  const course = c.courseTitle;
  return [
    c.policyVersion
      ? t.t('mail.reattest.changedVersion', { course, version: c.policyVersion })
      : t.t('mail.reattest.changed', { course }),
    t.t('mail.reattest.only', { due }),
  ];
}

/** What a reminder asks of its learner: complete a first cycle, renew a later one, or re-read and confirm. */
type Ask = 'complete' | 'renew' | 'reattest';

/** The subject and paragraphs of a reminder to the learner (every kind but the manager's escalation). */
function learnerReminder(t: Translator, c: ReminderContext, ask: Ask, due: string): [string, string[]] {
  const course = c.courseTitle;
  const hello = t.t('mail.hello', { name: c.personName });
  const reattest = ask === 'reattest' ? reattestLines(t, c, due) : [];
  const please = ask === 'reattest' ? reattest : [t.t(`mail.please.${ask}`, { course, due })];
  switch (c.kind) {
    case 'assigned':
      return [
        t.t(c.cycleNo > 1 ? `mail.assigned.${ask}` : 'mail.assigned.new', { course }),
        [hello, ...please],
      ];
    case 'before-due':
      return [t.t('mail.beforeDue.subject', { course, due }), [hello, ...please]];
    case 'due-today':
      return [
        t.t('mail.dueToday.subject', { course }),
        [hello, t.t('mail.dueToday.body', { course, due }), ...reattest],
      ];
    case 'overdue':
      return [
        t.t('mail.overdue.subject', { course }),
        [
          hello,
          t.t(`mail.overdue.${ask}`, { course, due }),
          ...reattest,
          ...(c.managerName ? [t.t('mail.overdue.managerCopy', { manager: c.managerName })] : []),
        ],
      ];
    default:
      return [
        t.t('mail.spaced.subject', { course }),
        [
          hello,
          t.t('mail.spaced.intro'),
          ...(c.spaced?.clauseTitles.length
            ? [t.t('mail.spaced.thisTime', { clauses: c.spaced.clauseTitles.join('; ') })]
            : []),
          t.t('mail.spaced.time'),
        ],
      ];
  }
}

export function reminderMessage(c: ReminderContext): MessageBody {
  const t = translator(c.lang ?? SOURCE_LANGUAGE);
  const due = dueText(t, c.dueAt);
  const ask: Ask = c.requirement === 'attest-only' ? 'reattest' : c.cycleNo > 1 ? 'renew' : 'complete';
  const link = { href: c.link, label: t.t('mail.open', { course: c.courseTitle }) };
  if (c.kind === 'escalation') {
    return render(
      t,
      t.t('mail.escalation.subject', { person: c.personName, course: c.courseTitle }),
      [
        c.managerName ? t.t('mail.hello', { name: c.managerName }) : t.t('mail.helloNoName'),
        t.t('mail.escalation.body', { person: c.personName, course: c.courseTitle, due }),
        t.t('mail.escalation.ask'),
      ],
      link,
      c.org,
    );
  }
  const [subject, paragraphs] = learnerReminder(t, c, ask, due);
  const practice =
    c.kind === 'spaced' ? { href: c.spaced?.link ?? c.link, label: t.t('mail.spaced.start') } : link;
  return render(t, subject, paragraphs, practice, c.org);
}

export interface DigestCourseLine {
  title: string;
  counts: Record<string, number>;
}

/** The end of the audit chain the digest pins: the hour's signed anchor (keyId null without a key). */
export interface DigestAuditEnd {
  seq: number;
  hash: string;
  keyId: string | null;
}

/**
 * The weekly HR digest, in the recipient's language (English without one). `auditEnd` is the end
 * of the audit chain that night, as signed in the hour's anchor. Its fingerprint, kept in HR's
 * mailboxes outside the database and the signing key, lets an auditor check later
 * (`audit:verify --fingerprint`) that no event up to it was changed or removed, even by someone
 * holding both.
 */
export function digestMessage(
  week: string,
  lines: DigestCourseLine[],
  dashboardLink: string,
  auditEnd: DigestAuditEnd,
  org: MailOrganisation,
  lang: Language = SOURCE_LANGUAGE,
): MessageBody {
  const t = translator(lang);
  const paragraphs = [t.t('mail.digest.week', { week })];
  for (const l of lines) {
    const c = (k: string) => l.counts[k] ?? 0;
    paragraphs.push(
      t.t('mail.digest.course', {
        title: l.title,
        completed: c('completed'),
        dueSoon: c('due-soon'),
        overdue: c('overdue'),
        expired: c('expired'),
        inProgress: c('in-progress'),
        notStarted: c('not-started'),
      }),
    );
  }
  if (lines.length === 0) paragraphs.push(t.t('mail.digest.noCourses'));
  const fingerprint = formatFingerprint(auditEnd);
  // The sequence number as digits, never grouped: it is the fingerprint's first part.
  const audit = { seq: String(auditEnd.seq), fingerprint };
  paragraphs.push(
    auditEnd.keyId
      ? t.t('mail.digest.auditSigned', { ...audit, keyId: auditEnd.keyId })
      : t.t('mail.digest.audit', audit),
    t.t('mail.digest.keep', { command: `npm run lms -- audit:verify --fingerprint ${fingerprint}` }),
  );
  return render(
    t,
    t.t('mail.digest.subject', { week }),
    paragraphs,
    { href: dashboardLink, label: t.t('mail.digest.open') },
    org,
  );
}

/**
 * To an account's owner when it sees many failed sign-ins in a short time (OWASP), in their
 * language: says what happened and what to do, and nothing an attacker who reads it could use.
 */
export function failedSignInsMessage(c: {
  personName: string;
  failures: number;
  minutes: number;
  /** `${BASE_URL}/login` */
  link: string;
  org: MailOrganisation;
  /** The recipient's language (recipientLanguage); English when absent. */
  lang?: Language;
}): MessageBody {
  const t = translator(c.lang ?? SOURCE_LANGUAGE);
  return render(
    t,
    t.t('mail.loginAlert.subject'),
    [
      t.t('mail.hello', { name: c.personName }),
      t.t('mail.loginAlert.tried', { failures: c.failures, minutes: c.minutes }),
      t.t('mail.loginAlert.advice'),
    ],
    { href: c.link, label: t.t('mail.loginAlert.signIn') },
    c.org,
  );
}
