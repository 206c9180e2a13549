import { describe, expect, it } from 'vitest';
import { drawQuestions, seededRng, shuffled } from '../../../src/domain/quiz/index.js';
import { bank, classify, multiple, single, spot, trueFalse } from './fixtures.js';

describe('the seeded random source', () => {
  it('repeats for the same seed and differs between seeds', () => {
    const a = seededRng('seed-1');
    const b = seededRng('seed-1');
    const c = seededRng('seed-2');
    const seqA = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(seqA);
    expect(Array.from({ length: 5 }, c)).not.toEqual(seqA);
    for (const x of seqA) expect(x >= 0 && x < 1).toBe(true);
  });

  it('shuffles without losing or duplicating items, leaving the input untouched', () => {
    const items = [1, 2, 3, 4, 5, 6, 7, 8];
    const out = shuffled(items, seededRng('s'));
    expect([...out].sort()).toEqual(items);
    expect(items).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
});

describe('drawQuestions', () => {
  it('is deterministic for a seed', () => {
    const questions = bank(30, 6);
    expect(drawQuestions(questions, 10, seededRng('abc'))).toEqual(
      drawQuestions(questions, 10, seededRng('abc')),
    );
    expect(drawQuestions(questions, 10, seededRng('abc'))).not.toEqual(
      drawQuestions(questions, 10, seededRng('abd')),
    );
  });

  it('draws distinct questions, and the whole bank when it is smaller than the count', () => {
    const questions = bank(30, 6);
    const draw = drawQuestions(questions, 10, seededRng('x'));
    expect(new Set(draw.map((d) => d.questionId)).size).toBe(10);
    expect(drawQuestions(questions.slice(0, 4), 10, seededRng('x'))).toHaveLength(4);
  });

  it('covers every clause when the count allows, for many seeds', () => {
    const questions = bank(40, 12);
    for (let s = 0; s < 200; s++) {
      const draw = drawQuestions(questions, 12, seededRng(`seed-${s}`));
      const clauses = new Set(draw.flatMap((d) => questions.find((q) => q.id === d.questionId)!.clauses));
      expect(clauses.size, `seed-${s}`).toBe(12);
    }
  });

  it('covers as many clauses as the count allows when there are more clauses than places', () => {
    const questions = bank(20, 10);
    const draw = drawQuestions(questions, 5, seededRng('few'));
    const clauses = new Set(draw.flatMap((d) => questions.find((q) => q.id === d.questionId)!.clauses));
    expect(clauses.size).toBe(5);
  });

  it('covers a clause that only one question tests', () => {
    const questions = [...bank(30, 2), single('rare', ['RARE'])];
    for (let s = 0; s < 50; s++) {
      const draw = drawQuestions(questions, 3, seededRng(`r${s}`));
      expect(draw.map((d) => d.questionId)).toContain('rare');
    }
  });

  it('shuffles question order and option order across seeds', () => {
    const questions = bank(10, 10);
    const orders = new Set<string>();
    const optionOrders = new Set<string>();
    for (let s = 0; s < 30; s++) {
      const draw = drawQuestions(questions, 10, seededRng(`o${s}`));
      orders.add(draw.map((d) => d.questionId).join());
      optionOrders.add(draw.find((d) => d.questionId === 'q0')!.choiceIds.join());
    }
    expect(orders.size).toBeGreaterThan(20);
    expect(optionOrders.size).toBe(6);
  });

  it('keeps true/false and spot segments in reading order, and shuffles reasons and multiple-choice options', () => {
    const questions = [trueFalse(), spot(), classify(), multiple(true)];
    const reasonOrders = new Set<string>();
    const multiOrders = new Set<string>();
    for (let s = 0; s < 30; s++) {
      const draw = drawQuestions(questions, 4, seededRng(`k${s}`));
      const of = (id: string) => draw.find((d) => d.questionId === id)!.choiceIds;
      expect(of('tf')).toEqual(['true', 'false']);
      expect(of('spot')).toEqual(['s1', 's2']);
      reasonOrders.add(of('classify').join());
      multiOrders.add(of('multi').join());
    }
    expect(reasonOrders.size).toBeGreaterThan(1);
    expect(multiOrders.size).toBeGreaterThan(1);
  });

  it('stores ids only: no correctness or feedback in the draw', () => {
    const draw = drawQuestions([single(), classify()], 2, seededRng('ids'));
    const json = JSON.stringify(draw);
    expect(json).not.toMatch(/correct|feedback|verdict|Explanation/);
  });
});
