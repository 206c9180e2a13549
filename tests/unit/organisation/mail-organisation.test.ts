import { describe, expect, it } from 'vitest';
import { DEFAULT_PROFILE, type OrgProfile } from '../../../src/domain/org-profile.js';
import {
  digestMessage,
  failedSignInsMessage,
  type MessageBody,
  mailOrganisation,
  reminderMessage,
} from '../../../src/mail/templates.js';

const ACME: OrgProfile = {
  ...DEFAULT_PROFILE,
  name: 'Acme <b>&</b> Co',
  contacts: { ...DEFAULT_PROFILE.contacts, hr: { name: 'People desk', channel: 'people@acme.example' } },
  updatedAt: new Date('2026-01-01T00:00:00Z'),
};

function messages(profile: OrgProfile): MessageBody[] {
  const org = mailOrganisation(profile);
  const reminder = (kind: 'assigned' | 'overdue' | 'escalation') =>
    reminderMessage({
      kind,
      personName: 'Ava',
      courseTitle: 'Posting',
      dueAt: null,
      cycleNo: 1,
      requirement: 'full',
      link: 'http://localhost/learn/x',
      managerName: 'Max',
      org,
    });
  return [
    reminder('assigned'),
    reminder('overdue'),
    reminder('escalation'),
    digestMessage(
      '2026-W10',
      [],
      'http://localhost/hr/dashboard',
      { seq: 1, hash: 'ab'.repeat(32), keyId: null },
      org,
    ),
    failedSignInsMessage({
      personName: 'Ava',
      failures: 5,
      minutes: 15,
      link: 'http://localhost/login',
      org,
    }),
  ];
}

describe('e-mails name the organisation and whom to ask', () => {
  it('every message ends with the HR contact and the organisation, escaped in HTML', () => {
    for (const m of messages(ACME)) {
      expect(m.text).toContain('Questions? Ask People desk at people@acme.example.');
      expect(m.text).toMatch(/— Acme <b>&<\/b> Co$/);
      expect(m.html).toContain('<p>— Acme &lt;b&gt;&amp;&lt;/b&gt; Co</p>');
      expect(m.html).not.toContain('<b>');
    }
  });

  it('before a profile is saved: the neutral name and "your HR team"', () => {
    for (const m of messages(DEFAULT_PROFILE)) {
      expect(m.text).toContain('Questions? Ask your HR team.');
      expect(m.text).toMatch(/— Policy Training$/);
    }
  });
});
