import { describe, expect, it } from 'vitest';
import { sideBySide } from '../../../src/services/policy/diff.js';

const marked = (segments: { text: string; mark: string }[], mark: string) =>
  segments.filter((s) => s.mark === mark).map((s) => s.text.trim());

describe('policy version diff', () => {
  it('marks a changed placeholder whole, never a piece of it', () => {
    const d = sideBySide('Ask {{contact.comms}} first.', 'Ask {{contact.hr}} first.');
    expect(marked(d.before, 'del')).toEqual(['{{contact.comms}}']);
    expect(marked(d.after, 'ins')).toEqual(['{{contact.hr}}']);
    expect(d.before.map((s) => s.text).join('')).toBe('Ask {{contact.comms}} first.');
    expect(d.after.map((s) => s.text).join('')).toBe('Ask {{contact.hr}} first.');
  });

  it('a placeholder written with spaces is one token too; unchanged ones stay unmarked', () => {
    const d = sideBySide(
      '{{ org.name }} staff ask {{contact.comms}}.',
      '{{ org.name }} people ask {{ contact.privacy }}.',
    );
    expect(marked(d.before, 'del')).toEqual(['staff', '{{contact.comms}}']);
    expect(marked(d.after, 'ins')).toEqual(['people', '{{ contact.privacy }}']);
    expect(d.after.find((s) => s.text.includes('org.name'))!.mark).toBe('same');
  });

  it('still diffs word by word around them', () => {
    const d = sideBySide('Posts need approval.', 'Posts need written approval.');
    expect(marked(d.after, 'ins')).toEqual(['written']);
    expect(d.before.every((s) => s.mark === 'same')).toBe(true);
    expect(sideBySide('same', 'same').changed).toBe(false);
  });
});
