import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command as scimTokenCommand } from '../../src/cli/commands/scim-token.js';
import { hashPassword } from '../../src/services/identity/passwords.js';
import { ACTOR_EMAILS, signIn, userIdOf } from '../helpers/actors.js';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../helpers/app.js';
import { cliContext } from '../helpers/cli.js';
import { ENTERPRISE, newToken, newUserBody, PATCH_OP, scimClient, USER } from './scim-support.js';

let t: TestApp;
let scim: ReturnType<typeof scimClient>;
let tokenId: string;

beforeAll(async () => {
  t = await createTestApp({ label: 'scim-api', onErrorLog: (l) => console.error(l.slice(0, 1500)) });
  const { id, token } = await newToken(t.app);
  tokenId = id;
  scim = scimClient(t.app, token);
});
afterAll(() => t.close());

describe('SCIM bearer tokens', () => {
  it('refuses a missing, malformed, wrong or revoked token with a SCIM 401', async () => {
    const { id, token } = await newToken(t.app);
    const wrong = `${token.slice(0, -4)}AAAA`;
    for (const header of [undefined, 'Bearer nonsense', `Bearer ${wrong}`, `Basic ${token}`]) {
      const res = await t.app.inject({
        method: 'GET',
        url: '/scim/v2/Users',
        headers: header ? { authorization: header } : {},
      });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
        status: '401',
      });
      expect(res.headers['content-type']).toContain('application/scim+json');
    }
    expect((await scimClient(t.app, token)('GET', '/Users')).statusCode).toBe(200);
    await t.app.services.identity.revokeScimToken({ id, revokedBy: 'test', now: new Date() });
    expect((await scimClient(t.app, token)('GET', '/Users')).statusCode).toBe(401);
  });

  it('a signed-in HR session does not open SCIM, and a SCIM token opens nothing else', async () => {
    const hr = await signIn(t.app, ACTOR_EMAILS.hr);
    expect((await hr.get('/scim/v2/Users')).statusCode).toBe(401);
    const { token } = await newToken(t.app);
    const res = await t.app.inject({
      method: 'GET',
      url: '/hr/people',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toMatch(/^\/login/);
  });

  it('the CLI shows the secret once, stores only its hash, lists and revokes', async () => {
    const created = cliContext(t);
    expect(await scimTokenCommand.run(created.ctx, { positionals: [], flags: { label: 'Entra' } })).toBe(0);
    const secret = created.lines.find((l) => l.startsWith('scim_'))!;
    const id = /^scim_([0-9a-f]+)\./.exec(secret)![1]!;
    const stored = await t.app.db.models.ScimToken.findById(id).lean();
    expect(stored!.secretHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(secret.split('.')[1]);
    expect((await scimClient(t.app, secret)('GET', '/ServiceProviderConfig')).statusCode).toBe(200);
    const listed = cliContext(t);
    await scimTokenCommand.run(listed.ctx, { positionals: [], flags: { list: true } });
    expect(listed.lines.join('\n')).toContain(id);
    expect(listed.lines.join('\n')).not.toContain(secret);
    const revoked = cliContext(t);
    await scimTokenCommand.run(revoked.ctx, { positionals: [], flags: { revoke: id } });
    expect(revoked.lines[0]).toContain(`Revoked SCIM token ${id}`);
    expect((await scimClient(t.app, secret)('GET', '/ServiceProviderConfig')).statusCode).toBe(401);
    const actions = (await t.app.db.models.AuditEvent.find({ targetId: id }).lean()).map((e) => e.action);
    expect(actions).toEqual(['scim.token.created', 'scim.token.revoked']);
  });
});

describe('SCIM discovery', () => {
  it('ServiceProviderConfig, ResourceTypes and Schemas describe what is supported', async () => {
    const spc = await scim('GET', '/ServiceProviderConfig');
    expect(spc.data).toMatchObject({
      patch: { supported: true },
      filter: { supported: true },
      bulk: { supported: false },
    });
    expect(spc.data.authenticationSchemes[0].type).toBe('oauthbearertoken');
    const types = await scim('GET', '/ResourceTypes');
    expect(types.data.Resources.map((r: { id: string }) => r.id)).toEqual(['User', 'Group']);
    expect(types.data.Resources[0].schemaExtensions[0].schema).toBe(ENTERPRISE);
    const schemas = await scim('GET', '/Schemas');
    expect(schemas.data.Resources.map((s: { id: string }) => s.id)).toContain(ENTERPRISE);
    const ent = await scim('GET', `/Schemas/${ENTERPRISE}`);
    expect(ent.data.attributes.map((a: { name: string }) => a.name)).toEqual([
      'employeeNumber',
      'department',
      'manager',
    ]);
    expect((await scim('GET', '/Schemas/urn:nope')).statusCode).toBe(404);
    expect((await scim('GET', '/Nope')).data.status).toBe('404');
  });
});

describe('SCIM Users', () => {
  it('creates, reads, filters, replaces, patches and deletes a user, audited as the token', async () => {
    const managerId = await userIdOf(t.app, ACTOR_EMAILS.manager);
    const created = await scim(
      'POST',
      '/Users',
      newUserBody('ada.lovelace@demo.test', {
        externalId: 'ext-ada',
        [ENTERPRISE]: { department: 'Research', employeeNumber: 'E-900', manager: { value: managerId } },
      }),
    );
    expect(created.statusCode).toBe(201);
    const id = created.data.id;
    expect(created.headers.location).toBe(`/scim/v2/Users/${id}`);
    expect(created.data.meta.location).toBe(`http://localhost:3000/scim/v2/Users/${id}`);
    expect(created.data).toMatchObject({
      userName: 'ada.lovelace@demo.test',
      displayName: 'Ada Lovelace',
      active: true,
      externalId: 'ext-ada',
    });
    expect(created.data[ENTERPRISE]).toEqual({
      department: 'Research',
      employeeNumber: 'E-900',
      manager: { value: managerId },
    });
    const person = await t.app.db.models.User.findById(id).lean();
    expect(person).toMatchObject({
      email: 'ada.lovelace@demo.test',
      department: 'Research',
      managerId,
      employeeId: 'E-900',
      role: 'employee',
    });

    expect((await scim('GET', `/Users/${id}`)).data.id).toBe(id);
    for (const filter of [
      'userName eq "Ada.Lovelace@demo.test"',
      'externalId eq "ext-ada"',
      'emails.value eq "ada.lovelace@demo.test"',
    ]) {
      const found = await scim('GET', `/Users?filter=${encodeURIComponent(filter)}`);
      expect(found.data.totalResults, filter).toBe(1);
      expect(found.data.Resources[0].id).toBe(id);
    }
    expect(
      (await scim('GET', `/Users?filter=${encodeURIComponent('userName eq "nobody@demo.test"')}`)).data
        .totalResults,
    ).toBe(0);

    const replaced = await scim('PUT', `/Users/${id}`, {
      schemas: [USER],
      id,
      userName: 'ada.lovelace@demo.test',
      displayName: 'Ada King',
      active: true,
    });
    expect(replaced.data.displayName).toBe('Ada King');
    expect(replaced.data[ENTERPRISE].department).toBe('Research');

    const patched = await scim('PATCH', `/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', path: `${ENTERPRISE}:department`, value: 'Finance' }],
    });
    expect(patched.data[ENTERPRISE].department).toBe('Finance');

    expect((await scim('DELETE', `/Users/${id}`)).statusCode).toBe(204);
    expect((await scim('GET', `/Users/${id}`)).statusCode).toBe(404);
    expect((await t.app.db.models.User.findById(id).lean())!.active).toBe(false);
    const events = await t.app.db.models.AuditEvent.find({ targetId: id }).sort({ seq: 1 }).lean();
    expect(events.map((e) => [e.action, e.actorId])).toEqual([
      ['person.created', `scim:${tokenId}`],
      ['person.updated', `scim:${tokenId}`],
      ['person.updated', `scim:${tokenId}`],
      ['person.deactivated', `scim:${tokenId}`],
      ['scim.user.deleted', `scim:${tokenId}`],
    ]);
    const again = await scim('POST', '/Users', newUserBody('ada.lovelace@demo.test'));
    expect(again.statusCode).toBe(201);
    expect(again.data).toMatchObject({ id, active: true });
  });

  it('answers each error with its status and scimType', async () => {
    const body = newUserBody('dup.person@demo.test');
    expect((await scim('POST', '/Users', body)).statusCode).toBe(201);
    const dup = await scim('POST', '/Users', body);
    expect([dup.statusCode, dup.data.scimType, dup.data.status]).toEqual([409, 'uniqueness', '409']);
    const taken = await scim('POST', '/Users', newUserBody(ACTOR_EMAILS.hr.toUpperCase()));
    expect([taken.statusCode, taken.data.scimType]).toEqual([409, 'uniqueness']);

    const missing = await scim('GET', '/Users/000000000000000000000000');
    expect([missing.statusCode, missing.data.status]).toEqual([404, '404']);
    expect(
      (
        await scim('PATCH', '/Users/000000000000000000000000', {
          schemas: [PATCH_OP],
          Operations: [{ op: 'remove', path: 'externalId' }],
        })
      ).statusCode,
    ).toBe(404);

    for (const filter of [
      'userName co "ada"',
      'name.givenName eq "Ada"',
      'userName eq "a" or userName eq "b"',
      'garbage',
    ]) {
      const bad = await scim('GET', `/Users?filter=${encodeURIComponent(filter)}`);
      expect([bad.statusCode, bad.data.scimType], filter).toEqual([400, 'invalidFilter']);
    }
    const badManager = await scim(
      'POST',
      '/Users',
      newUserBody('orphan@demo.test', { [ENTERPRISE]: { manager: { value: 'no-such-person' } } }),
    );
    expect([badManager.statusCode, badManager.data.scimType]).toEqual([400, 'invalidValue']);
    const badName = await scim('POST', '/Users', newUserBody('not-an-email'));
    expect([badName.statusCode, badName.data.scimType]).toEqual([400, 'invalidValue']);
    const { id } = (
      await scim('GET', `/Users?filter=${encodeURIComponent('userName eq "dup.person@demo.test"')}`)
    ).data.Resources[0];
    const badOp = await scim('PATCH', `/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'move', path: 'active', value: true }],
    });
    expect([badOp.statusCode, badOp.data.scimType]).toEqual([400, 'invalidSyntax']);
    const noSchema = await scim('PATCH', `/Users/${id}`, { Operations: [] });
    expect([noSchema.statusCode, noSchema.data.scimType]).toEqual([400, 'invalidSyntax']);
    const badActive = await scim('PATCH', `/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', path: 'active', value: 'maybe' }],
    });
    expect([badActive.statusCode, badActive.data.scimType]).toEqual([400, 'invalidValue']);
    const notJson = await t.app.inject({
      method: 'POST',
      url: '/scim/v2/Users',
      headers: {
        authorization: `Bearer ${(await newToken(t.app)).token}`,
        'content-type': 'application/scim+json',
      },
      payload: '{"userName":',
    });
    expect([notJson.statusCode, notJson.json().scimType]).toEqual([400, 'invalidSyntax']);
    const huge = await scim(
      'POST',
      '/Users',
      newUserBody('huge@demo.test', { displayName: 'x'.repeat(300_000) }),
    );
    expect([huge.statusCode, huge.data.status]).toEqual([413, '413']);
  });

  it('pages with startIndex and count', async () => {
    const all = await scim('GET', '/Users?count=1000');
    const total = all.data.totalResults;
    expect(total).toBeGreaterThan(5);
    const page = await scim('GET', '/Users?startIndex=3&count=2');
    expect(page.data).toMatchObject({ totalResults: total, startIndex: 3, itemsPerPage: 2 });
    expect(page.data.Resources.map((r: { id: string }) => r.id)).toEqual(
      all.data.Resources.slice(2, 4).map((r: { id: string }) => r.id),
    );
    expect((await scim('GET', '/Users?count=0')).data).toMatchObject({
      totalResults: total,
      itemsPerPage: 0,
      Resources: [],
    });
    expect((await scim('GET', '/Users?count=10000')).data.itemsPerPage).toBe(Math.min(total, 200));
  });
});

describe('SCIM Groups', () => {
  it('stores a group with members, pages and filters it, and answers its errors', async () => {
    const hrId = await userIdOf(t.app, ACTOR_EMAILS.hr);
    const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
    const created = await scim('POST', '/Groups', {
      schemas: [GROUP],
      displayName: 'Auditors',
      externalId: 'g-ext',
      members: [{ value: hrId }],
    });
    expect(created.statusCode).toBe(201);
    expect(created.data.members).toEqual([
      { value: hrId, $ref: `http://localhost:3000/scim/v2/Users/${hrId}`, type: 'User' },
    ]);
    const byName = await scim('GET', `/Groups?filter=${encodeURIComponent('displayName eq "Auditors"')}`);
    expect(byName.data.Resources.map((g: { id: string }) => g.id)).toEqual([created.data.id]);
    const put = await scim('PUT', `/Groups/${created.data.id}`, {
      schemas: [GROUP],
      displayName: 'Auditors',
      members: [],
    });
    expect(put.data.members).toEqual([]);
    const dup = await scim('POST', '/Groups', { schemas: [GROUP], displayName: 'Auditors' });
    expect([dup.statusCode, dup.data.scimType]).toEqual([409, 'uniqueness']);
    const unknown = await scim('POST', '/Groups', {
      schemas: [GROUP],
      displayName: 'Ghosts',
      members: [{ value: 'nobody' }],
    });
    expect([unknown.statusCode, unknown.data.scimType]).toEqual([400, 'invalidValue']);
    const badFilter = await scim('GET', `/Groups?filter=${encodeURIComponent('members eq "x"')}`);
    expect([badFilter.statusCode, badFilter.data.scimType]).toEqual([400, 'invalidFilter']);
    expect((await scim('GET', '/Groups/nope')).statusCode).toBe(404);
    expect((await scim('DELETE', `/Groups/${created.data.id}`)).statusCode).toBe(204);
    expect((await scim('DELETE', `/Groups/${created.data.id}`)).statusCode).toBe(404);
  });
});

describe('the full provisioning sequence', () => {
  it('create, update department, change manager, deactivate (sessions end, assignments stop), reactivate', async () => {
    const managerId = await userIdOf(t.app, ACTOR_EMAILS.manager);
    const otherManagerId = await userIdOf(t.app, ACTOR_EMAILS.otherManager);
    // HR's rule for the department: a person SCIM creates there is assigned at once.
    const hrId = await userIdOf(t.app, ACTOR_EMAILS.hr);
    const courseId = [...t.app.courses.keys()][0]!;
    await t.app.services.assignments.createRule({
      courseId,
      target: { kind: 'departments', departments: ['Provisioned'] },
      due: { kind: 'after-assignment', days: 30 },
      newHireWithinDays: null,
      actorId: hrId,
      now: t.clock.now(),
    });
    const created = await scim(
      'POST',
      '/Users',
      newUserBody('grace.hopper@demo.test', {
        [ENTERPRISE]: { department: 'Provisioned', manager: { value: managerId } },
      }),
    );
    expect(created.statusCode).toBe(201);
    const employeeId: string = created.data.id;
    const newManager = otherManagerId;
    const email = 'grace.hopper@demo.test';
    // The person has a password as well (single sign-on comes later).
    await t.app.db.models.User.updateOne(
      { _id: employeeId },
      { $set: { passwordHash: await hashPassword(TEST_PASSWORD) } },
    );
    const found = await scim('GET', `/Users?filter=${encodeURIComponent(`userName eq "${email}"`)}`);
    expect(found.data.Resources[0].id).toBe(employeeId);
    const dept = await scim('PATCH', `/Users/${employeeId}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', path: `${ENTERPRISE}:department`, value: 'Logistics' }],
    });
    expect(dept.data[ENTERPRISE].department).toBe('Logistics');
    const mgr = await scim('PATCH', `/Users/${employeeId}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', path: `${ENTERPRISE}:manager`, value: { value: newManager } }],
    });
    expect(mgr.data[ENTERPRISE].manager).toEqual({ value: newManager });
    const assignments = () => t.app.db.models.Assignment.find({ userId: employeeId }).lean();
    expect((await assignments()).length).toBeGreaterThan(0);
    expect(
      (await assignments()).every((a) => a.department === 'Logistics' && a.managerId === newManager),
    ).toBe(true);

    const session = await signIn(t.app, email);
    expect((await session.get('/')).statusCode).toBe(200);
    const off = await scim('PATCH', `/Users/${employeeId}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', path: 'active', value: false }],
    });
    expect(off.data.active).toBe(false);
    expect((await session.get('/')).statusCode).toBe(302);
    expect((await assignments()).every((a) => a.active === false)).toBe(true);
    // The sweep chases the overdue assignment of an active colleague, and not the leaver's.
    const control = await scim(
      'POST',
      '/Users',
      newUserBody('control.person@demo.test', { [ENTERPRISE]: { department: 'Provisioned' } }),
    );
    expect(await t.app.db.models.Assignment.countDocuments({ userId: control.data.id, active: true })).toBe(
      1,
    );
    await t.app.services.jobs.runSweep({ now: new Date(t.clock.now().getTime() + 40 * 86_400_000) });
    const mailTo = (userId: string) =>
      t.app.db.models.Outbox.countDocuments({ _id: new RegExp(`^${userId}:`) });
    expect(await mailTo(control.data.id)).toBeGreaterThan(0);
    expect(await mailTo(employeeId)).toBe(0);
    const records = await t.app.db.models.Attestation.countDocuments({ userId: employeeId });
    const on = await scim('PATCH', `/Users/${employeeId}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', path: 'active', value: true }],
    });
    expect(on.data.active).toBe(true);
    expect((await assignments()).every((a) => a.active === true)).toBe(true);
    expect(await t.app.db.models.Attestation.countDocuments({ userId: employeeId })).toBe(records);
    const actions = (
      await t.app.db.models.AuditEvent.find({ targetId: employeeId, actorId: `scim:${tokenId}` })
        .sort({ seq: 1 })
        .lean()
    ).map((e) => e.action);
    expect(actions).toEqual([
      'person.created',
      'person.updated',
      'person.updated',
      'person.deactivated',
      'person.updated',
    ]);
  });
});
