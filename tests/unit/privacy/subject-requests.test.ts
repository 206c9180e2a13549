import { describe, expect, it } from 'vitest';
import { erasureConfirmationErrors } from '../../../src/domain/erasure-confirmation.js';
import { recordLines } from '../../../src/services/privacy/subject-export-pdf.js';

describe('erasureConfirmationErrors', () => {
  const name = 'Łukasz  Dvořák';
  it('accepts the name typed with other spacing and case when the box is ticked', () => {
    expect(
      erasureConfirmationErrors({ personName: name, typedName: ' łukasz dvořák ', confirmed: true }),
    ).toEqual([]);
  });
  it('names both problems: another name, and the box left empty', () => {
    const errors = erasureConfirmationErrors({
      personName: name,
      typedName: 'Lukasz Dvorak',
      confirmed: false,
    });
    expect(errors.map((e) => e.field)).toEqual(['typedName', 'confirm']);
    expect(errors[0]).toMatchObject({ message: 'privacy.errors.typeName', values: { name } });
  });
  it('refuses an empty name', () => {
    expect(erasureConfirmationErrors({ personName: name, typedName: '', confirmed: true })).toHaveLength(1);
  });
});

describe('recordLines (the PDF export)', () => {
  it('flattens nested fields, formats dates, joins plain lists and leaves mail HTML out', () => {
    const lines = recordLines({
      subject: 'Due soon',
      to: ['a@x.test', 'b@x.test'],
      html: '<p>hidden</p>',
      createdAt: new Date('2026-03-02T09:00:00Z'),
      details: { score: 80, cleared: null, empty: {} },
      questions: [{ id: 'q1' }, { id: 'q2' }],
    });
    expect(lines).toEqual([
      'subject: Due soon',
      'to: a@x.test, b@x.test',
      'createdAt: 2 March 2026 at 09:00 UTC',
      'details.score: 80',
      'details.cleared: —',
      'details.empty: —',
      'questions[1].id: q1',
      'questions[2].id: q2',
    ]);
  });
  it('cuts a very long text and says where the whole of it is', () => {
    const [line] = recordLines({ text: 'x'.repeat(5000) });
    expect(line!.length).toBeLessThan(1600);
    expect(line).toContain('whole in the JSON');
  });
});
