import type { Course } from '../../domain/course.js';
import { courseTextLanguage } from '../../domain/course-text-language.js';
import type { SessionUser } from '../../domain/roles.js';
import type { Translator } from '../../i18n/translator.js';
import {
  type AttestationField,
  type AttestationPage,
  attestationStatement,
} from '../../services/records/attestation.js';
import { certificateVersionLine, shortVersion } from '../../services/records/certificate-pdf.js';
import { paragraphsOf } from '../../services/records/policy-pdf.js';
import { shownTextKey } from '../../services/records/policy-text.js';
import type { Reattestation } from '../../services/records/reattestation.js';
import { clauseView, fmt } from './shared.js';

/** The form's messages (records.json), in the page's language like the rest of its interface. */
const MESSAGE_KEYS = {
  typedName: 'records.attestForm.errors.typedName',
  agreed: 'records.attestForm.errors.agreed',
  changed: 'records.attestForm.errors.changed',
  unread: 'records.attestForm.errors.unread',
} as const;

/** The attestation form as typed, with a message per failed field. */
export interface AttestForm {
  typedName: string;
  /**
   * `changed`: the text changed since the page was read; `unread`: the form did not say which text
   * it was served with. Either way the page is shown again as it is now.
   */
  errors: Array<AttestationField | 'changed' | 'unread'>;
  /** The page's translator: the messages are worded in its language. */
  i18n: Translator;
}

/**
 * What both attestation views share: the course (as this learner is shown it), who signs, the
 * statement, the form as typed and the text it signs.
 */
function formView(user: SessionUser, course: Course, form: AttestForm) {
  return {
    fmt,
    course,
    profileName: user.name,
    // The statement is signed with the text, so it is in the text's language (what the record stores).
    statement: attestationStatement(courseTextLanguage(course).lang),
    typedName: form.typedName,
    // The text this page shows, carried by the form: signing refuses it once it is no longer served.
    contentVersion: course.version,
    textKey: shownTextKey(course),
    errors: form.errors.map((field) => ({
      field: field === 'changed' || field === 'unread' ? null : field,
      message: form.i18n.t(MESSAGE_KEYS[field]),
    })),
    fieldErrors: Object.fromEntries(form.errors.map((field) => [field, form.i18n.t(MESSAGE_KEYS[field])])),
  };
}

/** The attestation view: every state of the page (signed, the full policy and the form, not ready). */
function attestView(user: SessionUser, course: Course, page: AttestationPage, form: AttestForm) {
  return {
    ...formView(user, course, form),
    state: page.state,
    attestation: page.attestation,
    signedVersion: page.attestation ? shortVersion(page.attestation.contentVersion) : null,
    signedVersionLine: page.attestation ? certificateVersionLine(form.i18n, page.attestation) : null,
    currentVersion: shortVersion(course.version),
    // Every clause in full: what the signature binds to is the text on this page (and in the PDF).
    // `course` is the learner's view of it (learning.courseForLearner): only their notices.
    clauses: course.clauses.map((c) => clauseView(c, courseTextLanguage(course).lang)),
    policyPdfHref: `/learn/${course.id}/policy.pdf`,
    attestedHref: page.attestation ? `/learn/${course.id}/attested?cycle=${page.attestation.cycleNo}` : null,
    certificateCode: page.certificateCode,
    status: page.status,
  };
}

/**
 * The "what changed" view for a learner re-attesting: each version's note, every clause to read
 * again in full (the wording attested before behind <details>), minor changes one line each, and
 * the form. Nothing else: no lesson, quiz or example is asked of them.
 */
function reattestView(user: SessionUser, course: Course, r: Reattestation, form: AttestForm) {
  const number = (id: string) => course.clauses.find((c) => c.id === id)?.number ?? id;
  return {
    ...formView(user, course, form),
    fromVersion: r.attested.policyVersion,
    attestedAt: r.attested.at,
    toVersion: r.policyVersion,
    currentVersion: shortVersion(course.version),
    notes: r.changes.notes.filter((n) => n.note.trim() !== ''),
    clauses: r.clauses.map((c) => {
      // The clause as this learner is shown it: with the notices of their jurisdictions only.
      const shown = clauseView(
        course.clauses.find((x) => x.id === c.clauseId) ?? c.now,
        courseTextLanguage(course).lang,
      );
      return {
        ...shown,
        before: {
          title: c.before.title,
          paragraphs: paragraphsOf(c.before.text),
          text: courseTextLanguage({ language: c.beforeLanguage }),
        },
        versions: c.versions.join(', '),
      };
    }),
    minor: r.changes.minor.map((m) => ({
      number: number(m.clauseId),
      title: m.title,
      versions: m.versions.join(', '),
    })),
    policyPdfHref: `/learn/${course.id}/policy.pdf`,
  };
}

/** The "what changed" page of a learner re-attesting (the course overview shows it too). */
export function reattestPageView(user: SessionUser, course: Course, r: Reattestation, form: AttestForm) {
  return { template: 'records/reattest', data: reattestView(user, course, r, form) };
}

/** The template and data for the learner's attestation page: "what changed" when re-attesting, else the full policy. */
export function attestPageView(user: SessionUser, course: Course, page: AttestationPage, form: AttestForm) {
  return page.reattestation
    ? reattestPageView(user, course, page.reattestation, form)
    : { template: 'records/attest', data: attestView(user, course, page, form) };
}
