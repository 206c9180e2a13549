import { describe, expect, it } from 'vitest';
import { fillPlainText, type StandIns } from '../../../src/domain/course-resolve.js';

/**
 * A translation's stand-ins fitted to their sentence (issue #26): the form given for the word before
 * the placeholder (German dative), a capital at a sentence's start but not after a colon (Spanish and
 * German go on in lower case there), and real profile values untouched.
 */
const values = new Map([
  ['org.name', 'Ihre Organisation'],
  ['contact.hr', 'tu contacto de RR. HH.'],
]);
const standIns: StandIns = new Map([
  ['org.name', { phrase: 'Ihre Organisation', after: { bei: 'Ihrer Organisation' } }],
  ['contact.hr', { phrase: 'tu contacto de RR. HH.' }],
]);
const fill = (text: string) => fillPlainText(text, values, standIns);

describe('stand-ins in a translation', () => {
  it('takes the form given for the word before it', () => {
    expect(fill('Niemand bei {{org.name}} möchte das.')).toBe('Niemand bei Ihrer Organisation möchte das.');
    expect(fill('Niemand <em>bei</em> {{org.name}}.')).toBe('Niemand <em>bei</em> Ihrer Organisation.');
    expect(fill('Beiträge über {{org.name}}.')).toBe('Beiträge über Ihre Organisation.');
  });

  it('starts a sentence with a capital, but goes on in lower case after a colon', () => {
    expect(fill('Hecho. {{contact.hr}} responde.')).toBe('Hecho. Tu contacto de RR. HH. responde.');
    expect(fill('¿{{contact.hr}} responde?')).toBe('¿Tu contacto de RR. HH. responde?');
    expect(fill('RR. HH.: {{contact.hr}}')).toBe('RR. HH.: tu contacto de RR. HH.');
  });

  it('leaves a real value as typed when the placeholder has a value', () => {
    const real = new Map([['org.name', 'Kestrel Works']]);
    expect(fillPlainText('Niemand bei {{org.name}}.', real)).toBe('Niemand bei Kestrel Works.');
  });
});
