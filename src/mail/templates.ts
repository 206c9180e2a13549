import { formatFingerprint } from '../domain/audit-anchor.js';
import { formatDay } from '../domain/display-dates.js';
import type { OrgProfile } from '../domain/org-profile.js';
import type { ReminderKind } from '../domain/reminders.js';

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

function dueText(d: Date | null): string {
  return d ? formatDay(d) : 'no fixed date';
}

/** Who sends the training's e-mails, and whom to ask about them: from the organisation profile. */
export interface MailOrganisation {
  name: string;
  /** The HR contact's name and channel; empty before an admin saves a profile. */
  hrName: string;
  hrChannel: string;
}

export function mailOrganisation(profile: OrgProfile): MailOrganisation {
  return { name: profile.name, hrName: profile.contacts.hr.name, hrChannel: profile.contacts.hr.channel };
}

/** The closing line every message has: whom to ask, then the organisation's name as the signature. */
function askLine(org: MailOrganisation): string {
  if (org.hrName && org.hrChannel) return `Questions? Ask ${org.hrName} at ${org.hrChannel}.`;
  return org.hrName ? `Questions? Ask ${org.hrName}.` : 'Questions? Ask your HR team.';
}

function render(
  subject: string,
  paragraphs: string[],
  link: { href: string; label: string },
  org: MailOrganisation,
): MessageBody {
  const ask = askLine(org);
  const text = [...paragraphs, `${link.label}: ${link.href}`, ask, '', `— ${org.name}`].join('\n\n');
  const html = [
    '<!doctype html><html><body style="font-family:sans-serif;line-height:1.5">',
    ...paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    `<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.label)}</a></p>`,
    `<p style="color:#555">If the link does not work, copy this address into your browser: ${escapeHtml(link.href)}</p>`,
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
}

/**
 * What a re-attestation asks, said in every reminder of an attest-only cycle: the policy changed
 * (which version), only a re-read of what changed and an attestation are needed, and by when.
 */
function reattestLines(c: ReminderContext, due: string): string[] {
  const version = c.policyVersion ? ` (version ${c.policyVersion})` : '';
  return [
    `The policy in "${c.courseTitle}" has changed${version}.`,
    `You only need to read what changed and attest again, without retaking the course or the quiz: it takes a few minutes. It is due by ${due}.`,
  ];
}

export function reminderMessage(c: ReminderContext): MessageBody {
  const due = dueText(c.dueAt);
  const reattest = c.requirement === 'attest-only';
  const what = reattest ? 're-read and confirm' : c.cycleNo > 1 ? 'renew' : 'complete';
  const link = { href: c.link, label: `Open ${c.courseTitle}` };
  const hello = `Hello ${c.personName},`;
  const ask = (plain: string) => (reattest ? reattestLines(c, due) : [plain]);
  switch (c.kind) {
    case 'assigned':
      return render(
        c.cycleNo > 1 ? `Time to ${what}: ${c.courseTitle}` : `New training: ${c.courseTitle}`,
        [hello, ...ask(`Please ${what} "${c.courseTitle}" by ${due}.`)],
        link,
        c.org,
      );
    case 'before-due':
      return render(
        `Reminder: ${c.courseTitle} is due on ${due}`,
        [hello, ...ask(`Please ${what} "${c.courseTitle}" by ${due}.`)],
        link,
        c.org,
      );
    case 'due-today':
      return render(
        `Due today: ${c.courseTitle}`,
        [hello, `"${c.courseTitle}" is due today (${due}).`, ...(reattest ? reattestLines(c, due) : [])],
        link,
        c.org,
      );
    case 'overdue':
      return render(
        `Overdue: ${c.courseTitle}`,
        [
          hello,
          `"${c.courseTitle}" was due on ${due} and is not done yet. Please ${what} it as soon as you can.`,
          ...(reattest ? reattestLines(c, due) : []),
          ...(c.managerName ? [`Your manager, ${c.managerName}, receives a copy of this reminder.`] : []),
        ],
        link,
        c.org,
      );
    case 'spaced':
      return render(
        `Five minutes to keep "${c.courseTitle}" fresh`,
        [
          hello,
          'Here is a short practice: a few example posts and questions on the parts of the policy you are most likely to have forgotten by now.',
          ...(c.spaced?.clauseTitles.length ? [`This time: ${c.spaced.clauseTitles.join('; ')}.`] : []),
          'It takes about five minutes. Nothing is due and there is nothing to sign.',
        ],
        { href: c.spaced?.link ?? c.link, label: 'Start the practice' },
        c.org,
      );
    case 'escalation':
      return render(
        `Overdue in your team: ${c.personName} · ${c.courseTitle}`,
        [
          `Hello ${c.managerName ?? ''},`.replace(' ,', ','),
          `${c.personName} has not yet completed "${c.courseTitle}", which was due on ${due}.`,
          'Please remind them to finish it. They have received reminders of their own.',
        ],
        link,
        c.org,
      );
  }
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
 * The weekly HR digest. `auditEnd` is the end of the audit chain that night, as signed in the
 * hour's anchor. Its fingerprint, kept in HR's mailboxes outside the database and the signing key,
 * lets an auditor check later (`audit:verify --fingerprint`) that no event up to it was changed or
 * removed, even by someone holding both.
 */
export function digestMessage(
  week: string,
  lines: DigestCourseLine[],
  dashboardLink: string,
  auditEnd: DigestAuditEnd,
  org: MailOrganisation,
): MessageBody {
  const paragraphs = [`Training status for the week of ${week}.`];
  for (const l of lines) {
    const c = (k: string) => l.counts[k] ?? 0;
    paragraphs.push(
      `${l.title}: ${c('completed')} completed, ${c('due-soon')} due soon, ${c('overdue')} overdue, ${c('expired')} expired, ` +
        `${c('in-progress')} in progress, ${c('not-started')} not started.`,
    );
  }
  if (lines.length === 0) paragraphs.push('No active courses.');
  const fingerprint = formatFingerprint(auditEnd);
  const signed = auditEnd.keyId ? `, anchored with signing key ${auditEnd.keyId}` : '';
  paragraphs.push(
    `Audit log: ${auditEnd.seq} events${signed}. Fingerprint: ${fingerprint}`,
    "Keep this e-mail: it is a copy of the log's fingerprint outside the app. " +
      `"npm run lms -- audit:verify --fingerprint ${fingerprint}" shows later that no event up to ` +
      'this one was changed or removed.',
  );
  return render(
    `Weekly training digest · ${week}`,
    paragraphs,
    { href: dashboardLink, label: 'Open the HR dashboard' },
    org,
  );
}

/**
 * To an account's owner when it sees many failed sign-ins in a short time (OWASP): says what
 * happened and what to do, and nothing an attacker who reads it could use.
 */
export function failedSignInsMessage(c: {
  personName: string;
  failures: number;
  minutes: number;
  /** `${BASE_URL}/login` */
  link: string;
  org: MailOrganisation;
}): MessageBody {
  return render(
    'Failed sign-ins to your Policy Training account',
    [
      `Hello ${c.personName},`,
      `Someone tried to sign in to your Policy Training account with a wrong password ${c.failures} times in ${c.minutes} minutes.`,
      'If it was you, there is nothing to do: you can still sign in with your password from your usual device. ' +
        'If it was not you, your account is safe while your password is strong; further attempts are being slowed down. ' +
        'Tell your administrator if this keeps happening.',
    ],
    { href: c.link, label: 'Sign in to Policy Training' },
    c.org,
  );
}
