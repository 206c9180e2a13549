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

  it('keeps true/false in reading order, and shuffles options, reasons and spot segments', () => {
    const questions = [trueFalse(), spot(), classify(), multiple(true), single()];
    const orders = { spot: new Set<string>(), classify: new Set<string>(), multi: new Set<string>() };
    const singleOrders = new Set<string>();
    for (let s = 0; s < 40; s++) {
      const draw = drawQuestions(questions, 5, seededRng(`k${s}`));
      const of = (id: string) => draw.find((d) => d.questionId === id)!.choiceIds;
      expect(of('tf')).toEqual(['true', 'false']);
      for (const id of ['spot', 'classify', 'multi'] as const) orders[id].add(of(id).join());
      singleOrders.add(of('single').join());
    }
    expect(orders.spot).toEqual(
      new Set(['s1,s2,s3', 's1,s3,s2', 's2,s1,s3', 's2,s3,s1', 's3,s1,s2', 's3,s2,s1']),
    );
    expect(orders.classify.size).toBe(6);
    expect(orders.multi.size).toBeGreaterThan(12);
    expect(singleOrders.size).toBe(6);
  });

  it("keeps the author's order of every type when the question says why order matters", () => {
    const fixed = 'the sentences answer one another';
    const questions = [
      { ...spot(), fixedOrder: fixed },
      { ...classify(), fixedOrder: fixed },
      { ...multiple(true), fixedOrder: fixed },
      { ...single(), fixedOrder: fixed },
    ];
    for (let s = 0; s < 30; s++) {
      const draw = drawQuestions(questions, 4, seededRng(`f${s}`));
      const of = (id: string) => draw.find((d) => d.questionId === id)!.choiceIds;
      expect(of('spot')).toEqual(['s1', 's2', 's3']);
      expect(of('classify')).toEqual(['r1', 'r2', 'r3']);
      expect(of('multi')).toEqual(['a', 'b', 'c', 'd']);
      expect(of('single')).toEqual(['a', 'b', 'c']);
    }
  });

  it('gives the same question and choice order for the same seed', () => {
    const questions = [
      ...bank(12, 4),
      spot('sp', ['K1']),
      classify('cl', ['K2']),
      multiple(true, 'mu', ['K3']),
    ];
    for (let s = 0; s < 20; s++) {
      const seed = `same-${s}`;
      expect(drawQuestions(questions, 8, seededRng(seed))).toEqual(
        drawQuestions(questions, 8, seededRng(seed)),
      );
    }
  });

  it('draws at most one recall question per attempt, and still covers every clause', () => {
    const recall = (id: string, clause: string) => ({ ...single(id, [clause]), recall: true });
    // Half the bank is recall; K0 and K1 are each tested by one judgement question too.
    const questions = [
      ...bank(12, 6),
      recall('r0', 'K0'),
      recall('r1', 'K1'),
      recall('r2', 'K2'),
      recall('r3', 'K3'),
      recall('r4', 'K4'),
      recall('r5', 'K5'),
      recall('r6', 'K0'),
      recall('r7', 'K1'),
    ];
    const recallIds = new Set(questions.filter((q) => 'recall' in q).map((q) => q.id));
    let drewOne = 0;
    for (let s = 0; s < 200; s++) {
      const draw = drawQuestions(questions, 10, seededRng(`recall-${s}`));
      const drawnRecall = draw.filter((d) => recallIds.has(d.questionId)).length;
      expect(drawnRecall, `recall-${s}`).toBeLessThanOrEqual(1);
      if (drawnRecall === 1) drewOne++;
      expect(draw).toHaveLength(10);
      const clauses = new Set(draw.flatMap((d) => questions.find((q) => q.id === d.questionId)!.clauses));
      expect(clauses.size, `recall-${s}`).toBe(6);
    }
    // A recall question is still drawn now and then: the rule caps them, it does not ban them.
    expect(drewOne).toBeGreaterThan(20);
  });

  it('stores ids only: no correctness or feedback in the draw', () => {
    const draw = drawQuestions([single(), classify()], 2, seededRng('ids'));
    const json = JSON.stringify(draw);
    expect(json).not.toMatch(/correct|feedback|verdict|Explanation/);
  });
});
