import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  FAILURES_BEFORE_NOTICE,
  Outbox,
  type OutboxJob,
  withRetries,
} from '../../../src/scorm/runtime/cmi5-outbox.js';
import type { LmsHealth } from '../../../src/scorm/runtime/lms.js';

/** An LRS stand-in: every send waits for the test to answer it, so order and retries are visible. */
function fakeLrs() {
  const sent: OutboxJob[] = [];
  const answers: Array<{ resolve: () => void; reject: (e: unknown) => void }> = [];
  const send = (job: OutboxJob) =>
    new Promise<void>((resolve, reject) => {
      sent.push(job);
      answers.push({ resolve, reject });
    });
  const answer = async (outcome: 'ok' | number) => {
    const next = answers.shift()!;
    if (outcome === 'ok') next.resolve();
    else next.reject({ status: outcome });
    await vi.advanceTimersByTimeAsync(0);
  };
  return { sent, send, answer };
}

const statement = (id: string): OutboxJob => ({
  kind: 'statement',
  statement: { id, verb: { id: `verb/${id}` } },
});
const ids = (jobs: OutboxJob[]) =>
  jobs.map((j) => (j.kind === 'statement' ? j.statement.id : `state:${JSON.stringify(j.document)}`));

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the cmi5 AU outbox', () => {
  it('sends one job at a time, in order: a later statement waits for the one before it', async () => {
    const lrs = fakeLrs();
    const outbox = new Outbox(lrs.send, () => {});
    outbox.push(statement('initialized'));
    outbox.push(statement('completed'));
    outbox.push(statement('terminated'));
    expect(ids(lrs.sent)).toEqual(['initialized']);
    await lrs.answer('ok');
    expect(ids(lrs.sent)).toEqual(['initialized', 'completed']);
    await lrs.answer('ok');
    await lrs.answer('ok');
    expect(ids(lrs.sent)).toEqual(['initialized', 'completed', 'terminated']);
    expect(outbox.pending).toHaveLength(0);
  });

  it('retries a refused statement with back-off, the same statement (same id), tells the learner, and loses nothing', async () => {
    const lrs = fakeLrs();
    const health: LmsHealth[] = [];
    const outbox = new Outbox(lrs.send, (h) => health.push(h), [100, 200, 400]);
    outbox.push(statement('passed'));
    outbox.push(statement('terminated'));
    let drained = false;
    void outbox.drained().then(() => {
      drained = true;
    });
    for (let failure = 1; failure <= FAILURES_BEFORE_NOTICE; failure++) {
      await lrs.answer(([503, 408, 429] as const)[failure - 1]!);
      // Nothing goes out before the back-off has passed, and Terminated never overtakes.
      expect(ids(lrs.sent)).toHaveLength(failure);
      await vi.advanceTimersByTimeAsync(400);
    }
    expect(health).toEqual(['not-saving']);
    expect(ids(lrs.sent)).toEqual(['passed', 'passed', 'passed', 'passed']);
    expect(drained).toBe(false);
    await lrs.answer('ok');
    await lrs.answer('ok');
    expect(ids(lrs.sent)).toEqual(['passed', 'passed', 'passed', 'passed', 'terminated']);
    expect(health).toEqual(['not-saving', 'recording']);
    expect(drained).toBe(true);
  });

  it('drops a statement refused for good (4xx): later jobs go on, the learner stays told', async () => {
    const lrs = fakeLrs();
    const health: LmsHealth[] = [];
    const sent: unknown[] = [];
    const dropped: unknown[] = [];
    const outbox = new Outbox(lrs.send, (h) => health.push(h), [100], {
      onSent: (job) => sent.push(job),
      onDropped: (job, failure) => dropped.push([job, failure.status]),
    });
    const passed = statement('passed');
    outbox.push(passed);
    outbox.push(statement('terminated'));
    await lrs.answer(403);
    await lrs.answer('ok');
    expect(ids(lrs.sent)).toEqual(['passed', 'terminated']);
    expect(dropped).toEqual([[passed, 403]]);
    expect(sent).toHaveLength(1);
    expect(new Set(health)).toEqual(new Set(['not-saving']));
    await outbox.drained();
  });

  it('counts a 409 for a statement as stored (an earlier try got through, its answer was lost)', async () => {
    const lrs = fakeLrs();
    const outbox = new Outbox(lrs.send, () => {});
    outbox.push(statement('completed'));
    outbox.push(statement('passed'));
    await lrs.answer(409);
    expect(ids(lrs.sent)).toEqual(['completed', 'passed']);
  });

  it('replaces a state write still waiting with the newer document, never the one on its way', async () => {
    const lrs = fakeLrs();
    const outbox = new Outbox(lrs.send, () => {});
    outbox.push({ kind: 'state', document: { n: 1 } });
    outbox.push({ kind: 'state', document: { n: 2 } });
    outbox.push(statement('passed'));
    outbox.push({ kind: 'state', document: { n: 3 } });
    await lrs.answer('ok');
    await lrs.answer('ok');
    await lrs.answer('ok');
    expect(ids(lrs.sent)).toEqual(['state:{"n":1}', 'state:{"n":3}', 'passed']);
    expect(outbox.pending).toHaveLength(0);
  });

  it('tells its owner what the LRS took and what is still to send (kept in the browser), in order', async () => {
    const lrs = fakeLrs();
    const taken: string[] = [];
    const kept: Array<Array<string | undefined>> = [];
    const outbox = new Outbox(lrs.send, () => {}, [100], {
      onSent: (job) => taken.push(ids([job])[0]!),
      onChange: (jobs) => kept.push(ids([...jobs])),
    });
    outbox.push(statement('completed'));
    outbox.push(statement('passed'));
    await lrs.answer(503);
    expect(taken).toEqual([]);
    await vi.advanceTimersByTimeAsync(100);
    await lrs.answer('ok');
    await lrs.answer(409);
    expect(taken).toEqual(['completed', 'passed']);
    expect(kept).toEqual([['completed'], ['completed', 'passed'], ['passed'], []]);
  });

  it('captures the jobs a builder pushes, unqueued, so the caller can put a state write first', async () => {
    const lrs = fakeLrs();
    const outbox = new Outbox(lrs.send, () => {});
    const built = outbox.capture(() => {
      outbox.push(statement('completed'));
      outbox.push(statement('passed'));
    });
    expect(lrs.sent).toEqual([]);
    outbox.push({ kind: 'state', document: { verdict: 'passed' } });
    for (const job of built) outbox.push(job);
    await lrs.answer('ok');
    await lrs.answer('ok');
    expect(ids(lrs.sent)).toEqual(['state:{"verdict":"passed"}', 'completed', 'passed']);
    // A builder that throws leaves nothing behind, and the outbox queues again afterwards.
    expect(() =>
      outbox.capture(() => {
        outbox.push(statement('failed'));
        throw new Error('score below masteryScore');
      }),
    ).toThrow();
    outbox.push(statement('terminated'));
    await lrs.answer('ok');
    expect(ids(lrs.sent).slice(3)).toEqual(['terminated']);
  });

  it('retries a read with the back-off until it is answered; a final answer (404) is not retried', async () => {
    let calls = 0;
    const flaky = withRetries(async () => {
      calls += 1;
      if (calls < 4) throw { response: { status: 503 } };
      return 'launch data';
    }, [100, 200, 400, 800]);
    await vi.advanceTimersByTimeAsync(700);
    await expect(flaky).resolves.toBe('launch data');
    expect(calls).toBe(4);

    let reads = 0;
    const missing = withRetries(
      async () => {
        reads += 1;
        throw { response: { status: 404 } };
      },
      [100],
      (e) => (e as { response: { status: number } }).response.status === 404,
    );
    await expect(missing).rejects.toEqual({ response: { status: 404 } });
    expect(reads).toBe(1);
  });
});
