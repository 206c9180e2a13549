import type { FastifyInstance } from 'fastify';
import { feedbackKey } from '../../src/db/keys.js';
import type { UserDoc } from '../../src/db/models/user.js';
import { type Access, decideAccess } from '../../src/domain/access.js';
import type { Course } from '../../src/domain/course.js';
import { profileToForm } from '../../src/domain/org-profile.js';
import type { SessionUser } from '../../src/domain/roles.js';
import { toSessionUser } from '../../src/services/identity/login.js';
import { ACTOR_EMAILS, type Actor, type SignedInActor } from './actors.js';

/**
 * The ONE declared policy of the authorization matrix.
 *
 * Role access comes from each route's own `config.access` (app.routeTable). This file adds, per URL
 * pattern, what the route table cannot know: concrete sample parameters, and for per-person resources
 * who owns the sample and who else may see it. Every route must have an entry here: a route that is
 * missing makes the matrix (and the CSRF and hostile-input suites) fail, so a new route cannot
 * skip the question "whose data is this?".
 */

export interface SampleContext {
  app: FastifyInstance;
  course: Course;
  /** Memoises fixture creation across routes and actors. */
  once<T>(key: string, make: () => Promise<T>): Promise<T>;
  user(name: SignedInActor): Promise<SessionUser>;
}

/** Sample context on one app: the first course, demo users by actor name, memoised fixtures. */
export function sampleContext(app: FastifyInstance): SampleContext {
  const memo = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, make: () => Promise<T>) => {
    if (!memo.has(key)) memo.set(key, make());
    return memo.get(key) as Promise<T>;
  };
  return {
    app,
    course: [...app.courses.values()][0]!,
    once,
    user: (name) =>
      once(`user:${name}`, async () => {
        const doc = await app.db.models.User.findOne({ email: ACTOR_EMAILS[name] }).lean<UserDoc>();
        if (!doc) throw new Error(`no demo user for ${name}`);
        return toSessionUser(doc);
      }),
  };
}

/** Fixtures: per-person resources owned by one actor, created through the services. */
export const fixtures = {
  /** A stored CSV import preview (HR's dry run); returns its id. */
  importPreview: (ctx: SampleContext) =>
    ctx.once('import-preview', async () => {
      const hr = await ctx.user('hr');
      const csv =
        'email,name,employee id,department,manager email,hire date,locale,active\nnew.person@demo.test,New Person,,Sales,,2026-01-05,en,true\n';
      const preview = await ctx.app.services.people.previewImport({
        csv,
        fileName: 'matrix.csv',
        deactivateMissing: false,
        actorId: hr.id,
        now: ctx.app.clock.now(),
      });
      return preview._id;
    }),
  /** A previewed bulk action (export) on one person from HR's people list; returns its id. */
  bulkJob: (ctx: SampleContext) =>
    ctx.once('bulk-job', async () => {
      const { jobId } = await ctx.app.services.people.previewBulk({
        actorId: (await ctx.user('hr')).id,
        action: 'export',
        filters: {
          q: '',
          department: '',
          manager: '',
          state: '',
          course: '',
          active: 'all',
          sort: 'name',
          language: '',
        },
        ids: [(await ctx.user('employee')).id],
        now: ctx.app.clock.now(),
      });
      return jobId;
    }),
  /** An assignment rule for the Sales department; returns its id. */
  assignmentRule: (ctx: SampleContext) =>
    ctx.once('assignment-rule', async () => {
      const { rule } = await ctx.app.services.assignments.createRule({
        courseId: ctx.course.id,
        target: { kind: 'departments', departments: ['Sales'] },
        due: { kind: 'after-assignment', days: 30 },
        newHireWithinDays: null,
        actorId: (await ctx.user('hr')).id,
        now: ctx.app.clock.now(),
      });
      return rule._id;
    }),
  /** A message in the outbox; returns its id. */
  outboxMessage: (ctx: SampleContext) =>
    ctx.once('outbox-message', async () => {
      const id = 'matrix-outbox-message';
      await ctx.app.db.models.Outbox.create({
        _id: id,
        to: ['employee@demo.test'],
        cc: [],
        subject: 'Sample',
        text: 'Sample',
        html: '<p>Sample</p>',
        kind: 'assigned',
        reminderId: null,
        createdAt: ctx.app.clock.now(),
      });
      return id;
    }),
  /** An open quiz attempt of `name` on the sample course; returns its number. */
  attempt: (ctx: SampleContext, name: SignedInActor) =>
    ctx.once(`attempt:${name}`, async () => {
      return ctx.app.services.quiz.startAttempt({
        learner: await ctx.user(name),
        courseId: ctx.course.id,
        now: ctx.app.clock.now(),
      });
    }),
  /** Every signed-in actor enrolled in the sample course (self-enrolment, as opening a lesson does). */
  enrolAll: (ctx: SampleContext) =>
    ctx.once('enrol-all', async () => {
      for (const name of Object.keys(ACTOR_EMAILS) as SignedInActor[]) {
        await ctx.app.services.assignments.ensureEnrolled({
          learner: await ctx.user(name),
          course: ctx.course,
          now: ctx.app.clock.now(),
        });
      }
    }),
  /** A question sent by `name` from the first lesson; returns the feedback id. */
  feedback: (ctx: SampleContext, name: SignedInActor) =>
    ctx.once(`feedback:${name}`, async () => {
      const user = await ctx.user(name);
      const submissionId = `matrix-${name}-0000000000`;
      await ctx.app.services.learning.submitFeedback({
        author: user,
        course: ctx.course,
        lesson: ctx.course.lessons[0]!,
        kind: 'question',
        message: 'Sample question for the matrix',
        submissionId,
        now: ctx.app.clock.now(),
      });
      return feedbackKey(user.id, submissionId);
    }),
  /** An attestation of `name` in their first cycle of the sample course, bound to its current version. */
  attestation: (ctx: SampleContext, name: SignedInActor) =>
    ctx.once(`attestation:${name}`, async () => {
      const user = await ctx.user(name);
      const now = ctx.app.clock.now();
      const { cycle } = await ctx.app.services.assignments.ensureEnrolled({
        learner: user,
        course: ctx.course,
        now,
      });
      await ctx.app.db.models.Attestation.create({
        _id: cycle._id,
        cycleId: cycle._id,
        cycleNo: cycle.n,
        userId: user.id,
        courseId: ctx.course.id,
        contentVersion: ctx.course.version,
        policyTitle: ctx.course.policyTitle,
        typedName: user.name,
        statement: 'I have read, understood and will follow this policy.',
        at: now,
      });
      return cycle.n;
    }),
  /** A certificate of `name` for the sample course; returns its code. */
  certificate: (ctx: SampleContext, name: SignedInActor) =>
    ctx.once(`certificate:${name}`, async () => {
      const user = await ctx.user(name);
      const now = ctx.app.clock.now();
      const { cycle } = await ctx.app.services.assignments.ensureEnrolled({
        learner: user,
        course: ctx.course,
        now,
      });
      const { certificate } = await ctx.app.services.records.issueCertificate({
        course: ctx.course,
        cycle,
        holderName: user.name,
        completedAt: now,
        expiresAt: null,
        now,
      });
      return certificate._id;
    }),
};

/** Every signed-in actor (a route open to nobody in the sample organisation's state). */
const SIGNED_IN_ALL = ['employee', 'otherEmployee', 'manager', 'otherManager', 'hr', 'admin'] as const;

export interface RouteSample {
  /** Prepares data the route needs for every actor (runs before the requests). */
  setup?(ctx: SampleContext): Promise<unknown>;
  /** A query string (without `?`) the route requires. */
  query?: string | ((ctx: SampleContext) => string);
  /** Concrete values for the path parameters (by name; `*` for a wildcard). */
  params?(ctx: SampleContext): Promise<Record<string, string>> | Record<string, string>;
  /** The sample is a per-person resource of this actor: others get 404 (or 403). */
  owner?: SignedInActor;
  /** Besides the owner, these actors may reach the owner's resource (e.g. the person's manager). */
  sharedWith?: readonly SignedInActor[];
  /** Actors the route refuses although their role is allowed (e.g. a team page for a non-manager). */
  refuses?: readonly SignedInActor[];
  /** A valid form body for a state-changing route, so ownership is tested beyond body validation. */
  body?(ctx: SampleContext, actor: Actor): Promise<Record<string, string>> | Record<string, string>;
  /** Why this entry is shaped as it is (shown when an expectation fails). */
  note?: string;
  /** A bearer-token API (SCIM): no session opens it, so every actor gets 401 and CSRF does not apply. */
  bearer?: true;
  /**
   * A POST that arrives cross-site by design (the SAML ACS, posted by the identity provider): no CSRF
   * token; a forged post must change nothing and sign no one in (sessions-and-headers suite).
   */
  crossSitePost?: true;
}

/** A statement the LRS refused (#27), put back before each use: requeue and discard take it away. */
async function refusedStatement(ctx: SampleContext) {
  const id = 'matrix-refused-statement';
  const now = ctx.app.clock.now();
  await ctx.app.db.models.XapiOutbox.deleteOne({ _id: id });
  await ctx.app.db.models.XapiOutbox.create({
    _id: id,
    statement: { id },
    userId: 'matrix-user',
    kind: 'lessonCompleted',
    status: 'rejected',
    attempts: 0,
    nextAttemptAt: now,
    createdAt: now,
    lastError: '',
    rejection: { status: 400, body: 'sample' },
  });
  return { id };
}
const courseId = ({ course }: SampleContext) => ({ courseId: course.id });
const lessonParams = ({ course }: SampleContext) => ({
  courseId: course.id,
  lessonId: course.lessons[0]!.id,
});
const attemptParams = async (ctx: SampleContext) => ({
  courseId: ctx.course.id,
  n: String(await fixtures.attempt(ctx, 'employee')),
});
const personCourse = async (ctx: SampleContext) => ({
  courseId: ctx.course.id,
  userId: (await ctx.user('employee')).id,
});
const exampleParams = ({ course }: SampleContext) => ({
  courseId: course.id,
  exampleId: course.examples[0]!.id,
});

/** An admin's profile preview with a pending logo (the demo profile's values, renamed). */
const orgDraft = (ctx: SampleContext) =>
  ctx.once('org-draft', async () => {
    const admin = await ctx.user('admin');
    const current = await ctx.app.services.organisation.currentProfile();
    const outcome = await ctx.app.services.organisation.previewProfile({
      actorId: admin.id,
      form: { ...profileToForm(current), name: 'Matrix Works' },
      upload: Buffer.from(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect width="1" height="1"/></svg>',
      ),
      now: ctx.app.clock.now(),
    });
    if (!outcome.ok) throw new Error(`org draft refused: ${JSON.stringify(outcome.errors)}`);
    return { id: outcome.draftId };
  });

/**
 * An open policy draft of the sample course: HR's minor change to the first clause's summary. Never
 * published here: a new version would change the course every other sample is served.
 */
const policyDraft = (ctx: SampleContext) =>
  ctx.once('policy-draft', async () => {
    const hr = await ctx.user('hr');
    const clauseId = ctx.course.clauses[0]!.id;
    const form = await ctx.app.services.policy.clauseForm({ courseId: ctx.course.id, clauseId });
    const outcome = await ctx.app.services.policy.editClause({
      actorId: hr.id,
      courseId: ctx.course.id,
      clauseId,
      wording: { ...form.published, summary: 'Matrix draft summary.' },
      kind: 'minor',
      now: ctx.app.clock.now(),
    });
    if (!outcome.ok) throw new Error(`policy edit refused: ${JSON.stringify(outcome.errors)}`);
  });

/** Keyed by `METHOD url` or by `url` (all methods). */
export const ROUTE_SAMPLES: Record<string, RouteSample> = {
  // foundation
  '/healthz': {},
  '/readyz': {},
  // Prometheus (#25): registered only when METRICS_TOKEN is set (the suites' apps set none); behind
  // its bearer token every session gets 401 (tests/integration/operations-metrics.test.ts).
  '/metrics': { bearer: true },
  '/login': {},
  '/logout': {},
  // The language switcher (#26): anyone; a signed-in person changes only their own language.
  '/language': { body: () => ({ lang: 'es', next: '/' }), query: 'lang=es&next=%2F' },
  // single sign-on (#24): the sign-in flow is public; without SSO set up both go back to /login.
  '/auth/oidc/start': {},
  '/auth/oidc/callback': {},
  // Any signed-in person may start linking their own account; without SSO set up it goes back with a message.
  '/auth/oidc/link': {},
  // SAML (#24): metadata and start are public; the ACS takes the IdP's cross-site POST (no CSRF
  // token: the signed assertion bound to the session's request is the protection).
  '/auth/saml/metadata': {},
  '/auth/saml/start': {},
  '/auth/saml/acs': { crossSitePost: true },
  '/auth/saml/link': {},
  '/hr': {},
  '/admin': {},
  // learner (#3): the course is shared content; the learner is always the session user.
  '/': {},
  '/learn/:courseId': { params: courseId },
  '/learn/:courseId/lessons/:lessonId': { params: lessonParams },
  '/learn/:courseId/lessons/:lessonId/feedback': { params: lessonParams },
  '/learn/:courseId/examples': { params: courseId },
  '/learn/:courseId/examples/:exampleId': { params: exampleParams },
  '/learn/:courseId/examples/:exampleId/classify': { params: exampleParams },
  '/learn/:courseId/decide': { params: courseId },
  '/learn/:courseId/decide/:nodeId': {
    params: ({ course }) => ({ courseId: course.id, nodeId: course.decisionTree.start }),
  },
  // The spaced practice (issue #23): today's practice of the session user, never a URL id.
  // Open only between cycles, to a learner whose cycle is completed, when the course has spaced
  // refreshers on (off in the demo): everyone here is refused (the open case: mastery-spaced.test.ts).
  '/learn/:courseId/practice': { params: courseId, refuses: SIGNED_IN_ALL, note: 'spaced refreshers off' },
  '/learn/:courseId/practice/:n': {
    params: ({ course }) => ({ courseId: course.id, n: '1' }),
    refuses: SIGNED_IN_ALL,
    note: 'spaced refreshers off',
  },
  // quiz (#4): attempts are addressed by number within the signed-in learner's own cycle, so another
  // person asking for the employee's attempt number must get "not found", never the employee's attempt.
  // A refresher's start (issue #23): each person's own cycle, found from the session, never a URL id.
  '/learn/:courseId/refresher': { params: courseId },
  '/learn/:courseId/refresher/pretest': { params: courseId },
  '/learn/:courseId/refresher/pretest/answers': { params: courseId },
  '/learn/:courseId/refresher/pretest/submit': { params: courseId },
  '/learn/:courseId/refresher/decline': { params: courseId },
  '/learn/:courseId/refresher/result': { params: courseId },
  '/learn/:courseId/quiz': { params: courseId },
  '/learn/:courseId/quiz/attempts': { params: courseId },
  '/learn/:courseId/quiz/attempts/:n': { params: attemptParams, owner: 'employee' },
  '/learn/:courseId/quiz/attempts/:n/answers': { params: attemptParams, owner: 'employee' },
  '/learn/:courseId/quiz/attempts/:n/submit': { params: attemptParams, owner: 'employee' },
  '/learn/:courseId/quiz/attempts/:n/result': { params: attemptParams, owner: 'employee' },
  '/hr/people/:userId/courses/:courseId/attempts': { params: personCourse },
  '/hr/people/:userId/courses/:courseId/attempts/grant': { params: personCourse },
  // completion, certificates, evidence (#5)
  '/learn/:courseId/attest': { params: courseId },
  '/certificates/:file': {
    params: async (ctx) => ({ file: `${await fixtures.certificate(ctx, 'employee')}.pdf` }),
    owner: 'employee',
    sharedWith: ['hr', 'admin'],
    note: 'the holder and HR may download a certificate PDF; anyone else gets 404',
  },
  '/verify/:code': {
    params: async (ctx) => ({ code: await fixtures.certificate(ctx, 'employee') }),
    note: 'public by design: shows only name, course and dates',
  },
  // Evidence packs: the learner's own (the person is always the session user), and HR's view of anyone's.
  '/learn/:courseId/evidence': { params: courseId, setup: fixtures.enrolAll },
  '/learn/:courseId/evidence.json': { params: courseId, setup: fixtures.enrolAll },
  '/hr/people/:userId/evidence/:courseId/:cycle': {
    params: async (ctx) => ({ ...(await personCourse(ctx)), cycle: '1' }),
    setup: fixtures.enrolAll,
  },
  // The policy text (#20): the current policy's PDF for everyone assigned the course; the text of an
  // attestation as signed, the learner's own (no person parameter: the others have none, 404) and HR's view.
  '/learn/:courseId/policy.pdf': { params: courseId, setup: fixtures.enrolAll },
  '/learn/:courseId/attested': {
    params: courseId,
    setup: (ctx) => fixtures.attestation(ctx, 'employee'),
    owner: 'employee',
    note: "the learner's own record only: other actors have no attestation, so theirs is a 404",
  },
  '/learn/:courseId/attested.pdf': {
    params: courseId,
    setup: (ctx) => fixtures.attestation(ctx, 'employee'),
    owner: 'employee',
    note: "the learner's own record only: other actors have no attestation, so theirs is a 404",
  },
  '/hr/people/:userId/attested/:courseId/:cycle': {
    params: async (ctx) => ({ ...(await personCourse(ctx)), cycle: '1' }),
    setup: (ctx) => fixtures.attestation(ctx, 'employee'),
  },
  // HR reports: role-restricted; /team shows only the manager's own reports, others get 403.
  '/team': {
    refuses: ['employee', 'otherEmployee', 'hr', 'admin'],
    note: 'only people with direct reports have a team page',
  },
  '/hr/dashboard': {},
  '/hr/dashboard/refresh': {},
  '/hr/reports': {},
  '/hr/reports/status.csv': {},
  '/hr/reports/compliance.pdf': {},
  '/hr/employees': {},
  '/hr/employees/:userId': { params: async (ctx) => ({ userId: (await ctx.user('employee')).id }) },
  // Personal-data requests (#25): HR and admin for anyone. The erase form has no sample body on
  // purpose: a valid one would erase the sample employee the other routes need (the flow is in
  // tests/integration/privacy-requests.test.ts).
  '/hr/people/:id/privacy': { params: async (ctx) => ({ id: (await ctx.user('employee')).id }) },
  '/hr/people/:id/privacy/export.json': { params: async (ctx) => ({ id: (await ctx.user('employee')).id }) },
  '/hr/people/:id/privacy/export.pdf': { params: async (ctx) => ({ id: (await ctx.user('employee')).id }) },
  '/hr/people/:id/privacy/erase': { params: async (ctx) => ({ id: (await ctx.user('employee')).id }) },
  '/hr/employees/:userId/history.csv': {
    params: async (ctx) => ({ userId: (await ctx.user('employee')).id }),
  },
  '/hr/employees/:userId/certificates/:code/revoke': {
    params: async (ctx) => ({
      userId: (await ctx.user('employee')).id,
      code: await fixtures.certificate(ctx, 'employee'),
    }),
    note: 'HR and admin only; sent without a body here so the sample certificate stays valid for the other routes',
  },
  '/hr/feedback': {},
  '/hr/feedback/:id/handled': { params: async (ctx) => ({ id: await fixtures.feedback(ctx, 'employee') }) },
  // HR core (#6): people, imports, assignments, course settings, outbox — HR and admin only.
  '/hr/people': {},
  '/hr/people/new': {},
  '/hr/people/:id/edit': { params: async (ctx) => ({ id: (await ctx.user('employee')).id }) },
  '/hr/people/import': {},
  '/hr/people/import/:id': { params: async (ctx) => ({ id: await fixtures.importPreview(ctx) }) },
  '/hr/people/import/:id/apply': { params: async (ctx) => ({ id: await fixtures.importPreview(ctx) }) },
  '/hr/people/bulk': {},
  '/hr/people/bulk/:id': { params: async (ctx) => ({ id: await fixtures.bulkJob(ctx) }) },
  '/hr/people/search': { query: 'q=erin' },
  '/hr/assignments': {},
  '/hr/assignments/extend': {},
  '/hr/assignments/:id/retire': { params: async (ctx) => ({ id: await fixtures.assignmentRule(ctx) }) },
  '/hr/courses/:courseId/settings': { params: courseId },
  '/hr/courses/:courseId/renewal': { params: courseId },
  // Item statistics (#19): HR and admin only.
  '/hr/courses/:courseId/questions': { params: courseId },
  '/hr/courses/:courseId/questions.csv': { params: courseId },
  '/hr/courses/:courseId/knowledge': { params: courseId },
  // Translation preview (#26): HR and admin only; the Arabic translation is partial (learners never get it).
  '/hr/courses/:courseId/translations/:lang': { params: (ctx) => ({ courseId: ctx.course.id, lang: 'ar' }) },
  '/hr/courses/:courseId/translations/:lang/lessons/:lessonId': {
    params: (ctx) => ({ courseId: ctx.course.id, lang: 'ar', lessonId: 'why-this-policy' }),
  },
  '/hr/outbox': {},
  '/hr/outbox/failed': {},
  '/hr/outbox/:id': { params: async (ctx) => ({ id: await fixtures.outboxMessage(ctx) }) },
  // SCORM (#7): HR only.
  '/hr/courses/:courseId/scorm': { params: courseId },
  '/hr/courses/:courseId/scorm/download': { params: courseId, query: 'format=scorm12' },
  '/hr/courses/:courseId/cmi5/download': { params: courseId },
  '/hr/courses/:courseId/scorm/preview': { params: courseId, query: 'format=scorm12' },
  '/hr/courses/:courseId/scorm/preview/:format/:failStatus/files/*': {
    params: ({ course }) => ({
      courseId: course.id,
      format: 'scorm12',
      failStatus: 'failed',
      '*': 'index.html',
    }),
  },
  '/hr/scorm/player/:build': { params: () => ({ build: 'scorm12.min.js' }) },
  // Organisation profile (#22): admin only; the brand (logo, colour) is public for the sign-in page.
  '/admin/organisation': {},
  '/admin/sso': {},
  '/admin/sso/saml': {},
  '/admin/sso/mapping': {},
  '/admin/sso/password': {},
  '/admin/sso/test': {},
  // Retention and personal data (#25): admin only.
  '/admin/retention': {},
  // Learning records sent to an LRS (#27): admin only.
  '/admin/xapi': {},
  '/admin/xapi/test': {},
  '/admin/xapi/rejected/:id/requeue': { params: refusedStatement },
  '/admin/xapi/rejected/:id/discard': { params: refusedStatement },
  '/admin/organisation/preview/:id': { params: orgDraft },
  '/admin/organisation/preview/:id/logo': { params: orgDraft },
  '/admin/organisation/preview/:id/brand.css': { params: orgDraft },
  '/admin/organisation/preview/:id/save': { params: orgDraft },
  // Policy versions (#22): HR and admin draft, preview and read versions; only an admin approves
  // (the service also refuses an admin who edited the draft). Course-wide, not per person.
  '/hr/courses/:courseId/policy': { params: courseId },
  'GET /hr/courses/:courseId/policy/edit': {
    params: courseId,
    query: ({ course }) => `clauseId=${encodeURIComponent(course.clauses[0]!.id)}`,
  },
  'POST /hr/courses/:courseId/policy/edit': { params: courseId },
  '/hr/courses/:courseId/policy/revert': { params: courseId, setup: policyDraft },
  '/hr/courses/:courseId/policy/submit': { params: courseId, setup: policyDraft },
  '/hr/courses/:courseId/policy/discard': {
    params: courseId,
    setup: policyDraft,
    note: 'discarding is idempotent: the second actor finds no draft and is sent back to the page',
  },
  '/hr/courses/:courseId/policy/preview': {
    params: courseId,
    setup: policyDraft,
    note: 'the preview needs an open draft',
  },
  '/hr/courses/:courseId/policy/approve': {
    params: courseId,
    setup: policyDraft,
    note: 'admin only; sent without a body here so the draft is not published',
  },
  '/hr/courses/:courseId/policy/versions/:n': {
    params: (ctx) => ({ ...courseId(ctx), n: '1' }),
    note: 'version 1 (the course files): publishing one here would change the course the other samples are served',
  },
  // HR's translations of the clauses a published version changed (#26 finding 6): HR and admin.
  '/hr/courses/:courseId/policy/translations/:lang': {
    params: (ctx) => ({ ...courseId(ctx), lang: 'es' }),
    note: 'no version is published here, so the page lists nothing and a save is refused (400)',
  },
  // SCIM (#24): a bearer-token API; sessions never open it (tests/integration/scim-api.test.ts has the tokens).
  ...Object.fromEntries(
    [
      '/scim/v2/ServiceProviderConfig',
      '/scim/v2/ResourceTypes',
      '/scim/v2/ResourceTypes/:id',
      '/scim/v2/Schemas',
      '/scim/v2/Schemas/:id',
      '/scim/v2/Users',
      '/scim/v2/Users/:id',
      '/scim/v2/Groups',
      '/scim/v2/Groups/:id',
    ].map((url) => [url, { bearer: true, params: () => ({ id: 'User' }) }] as const),
  ),
  '/organisation/logo': {},
  '/organisation/brand.css': {},
};

export function sampleFor(method: string, url: string): RouteSample | undefined {
  return ROUTE_SAMPLES[`${method} ${url}`] ?? ROUTE_SAMPLES[url];
}

/** Routes of the table with no entry in ROUTE_SAMPLES (static files excepted). */
export function missingSamples(routes: ReadonlyArray<{ method: string; url: string }>): string[] {
  return routes
    .filter((r) => !r.url.startsWith('/static/') && !sampleFor(r.method, r.url))
    .map((r) => `${r.method} ${r.url}`);
}

/** Fills `:name` segments; throws when a parameter has no sample value. */
export function fillPath(url: string, params: Record<string, string>, query?: string): string {
  const path = url
    .replace(/:([A-Za-z0-9_]+)/g, (_m, name: string) => {
      const v = params[name];
      if (v === undefined) throw new Error(`no sample value for :${name} in ${url}`);
      return encodeURIComponent(v);
    })
    .replace(/\*$/, () => {
      const v = params['*'];
      if (v === undefined) throw new Error(`no sample value for * in ${url}`);
      return v;
    });
  return query ? `${path}?${query}` : path;
}

/** The concrete URL of a route's sample, after its setup. */
export async function sampleUrl(ctx: SampleContext, method: string, url: string): Promise<string> {
  const sample = sampleFor(method, url);
  if (!sample)
    throw new Error(`no ROUTE_SAMPLES entry for ${method} ${url}: add one in tests/helpers/route-params.ts`);
  await sample.setup?.(ctx);
  const query = typeof sample.query === 'function' ? sample.query(ctx) : sample.query;
  return fillPath(url, sample.params ? await sample.params(ctx) : {}, query);
}

export type Expected = 'ok' | 'login' | 'forbidden' | 'hidden' | 'token';

/** The expected outcome for one actor on one route, from the declared access and the ownership entry. */
export function expectedOutcome(access: Access, sample: RouteSample, actor: Actor): Expected {
  if (sample.bearer) return 'token';
  const decision = decideAccess(access, actor.role);
  if (decision === 'login') return 'login';
  if (decision === 'forbidden') return 'forbidden';
  if (actor.name === 'anonymous') return 'ok';
  if (sample.refuses?.includes(actor.name)) return 'hidden';
  if (sample.owner && actor.name !== sample.owner && !sample.sharedWith?.includes(actor.name))
    return 'hidden';
  return 'ok';
}

/** Whether a response satisfies the expectation; `stateChanging` routes are sent without a valid body unless they declare one. */
export function satisfies(
  expected: Expected,
  res: { statusCode: number; headers: Record<string, unknown> },
  stateChanging: boolean,
): boolean {
  const s = res.statusCode;
  const location = String(res.headers.location ?? '');
  const toLogin = s >= 300 && s < 400 && location.startsWith('/login');
  if (s >= 500) return false;
  switch (expected) {
    case 'login':
      return s === 302 && toLogin;
    case 'forbidden':
      return s === 403;
    case 'hidden':
      return s === 403 || s === 404;
    case 'token':
      return s === 401;
    case 'ok':
      if (toLogin && location !== '/login') return false;
      // A state-changing route without a sample body answers 400 (validation) once access is granted.
      if (stateChanging) return s !== 401 && s !== 403 && s !== 404;
      return s >= 200 && s < 400;
  }
}
