import { describe, expect, it } from 'vitest';
import type { Draw } from '../../../src/domain/quiz/index.js';
import { choiceTokensFor, newChoiceKey } from '../../../src/services/quiz/choice-tokens.js';

const draw: Draw = [
  { questionId: 'truefalse', choiceIds: ['true', 'false'] },
  { questionId: 'single', choiceIds: ['c', 'a', 'b'] },
  { questionId: 'other', choiceIds: ['a', 'b'] },
];

describe('choiceTokensFor', () => {
  it('names every choice with an opaque value: not its id, letter or position', () => {
    const tokens = choiceTokensFor({ draw, seed: 'seed', choiceKey: newChoiceKey() });
    expect(tokens.map((t) => t.length)).toEqual([2, 3, 2]);
    const all = tokens.flat();
    expect(new Set(all).size).toBe(all.length);
    for (const token of all) {
      expect(token).toMatch(/^[A-Za-z0-9_-]{12}$/);
      expect(['true', 'false', 'a', 'b', 'c', '1', '2', '3']).not.toContain(token);
    }
  });

  it('is the same for one attempt on every request, and differs between attempts', () => {
    const key = newChoiceKey();
    expect(choiceTokensFor({ draw, seed: 's', choiceKey: key })).toEqual(
      choiceTokensFor({ draw, seed: 'other seed', choiceKey: key }),
    );
    const a = choiceTokensFor({ draw, seed: 's', choiceKey: newChoiceKey() }).flat();
    const b = choiceTokensFor({ draw, seed: 's', choiceKey: newChoiceKey() }).flat();
    for (const [i, token] of a.entries()) expect(b[i]).not.toBe(token);
  });

  it('keys attempts stored without a key by their seed, still opaque and different per attempt', () => {
    const a = choiceTokensFor({ draw, seed: '0123456789abcdef' });
    expect(choiceTokensFor({ draw, seed: '0123456789abcdef' })).toEqual(a);
    const b = choiceTokensFor({ draw, seed: 'fedcba9876543210' }).flat();
    for (const [i, token] of a.flat().entries()) expect(b[i]).not.toBe(token);
  });
});
