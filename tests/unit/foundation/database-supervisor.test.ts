import { describe, expect, it } from 'vitest';
import { restartDelayMs, type Supervisable, superviseDatabase } from '../../../src/db/ferretdb/supervisor.js';

/** A stand-in for a FerretDB process: ends when the test says so, or when stopped. */
function fakeProcess(name: string) {
  let end!: (how: string) => void;
  const exited = new Promise<string>((resolve) => {
    end = resolve;
  });
  const proc = {
    name,
    stopped: false,
    exited,
    crash: (how = 'was killed by SIGKILL') => end(how),
    async stop() {
      proc.stopped = true;
      end('stopped');
    },
  };
  return proc;
}
type Fake = ReturnType<typeof fakeProcess>;

const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));
async function until(check: () => boolean) {
  for (let i = 0; i < 400 && !check(); i += 1) await tick();
  expect(check()).toBe(true);
}

describe('restart back-off', () => {
  it('doubles from half a second and is capped at 30 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7].map(restartDelayMs)).toEqual([
      500, 1000, 2000, 4000, 8000, 16000, 30000, 30000,
    ]);
    expect(restartDelayMs(1_000)).toBe(30_000);
  });
});

describe('database supervisor', () => {
  it('restarts a process that dies, keeps trying through failed starts, and logs each attempt', async () => {
    const first = fakeProcess('first');
    const started: Fake[] = [];
    let failuresLeft = 2;
    const log: string[] = [];
    const delays: number[] = [];
    const supervisor = superviseDatabase({
      first,
      relaunch: async () => {
        if (failuresLeft-- > 0) throw new Error('address already in use\nmore detail');
        const next = fakeProcess(`restart ${started.length + 1}`);
        started.push(next);
        return next as Supervisable;
      },
      log: (line) => log.push(line),
      where: '127.0.0.1:1234',
      delayMs: (failures) => {
        delays.push(restartDelayMs(failures));
        return 1;
      },
    });

    first.crash();
    await until(() => started.length === 1);
    expect(delays).toEqual([500, 1000, 2000]);
    expect(log[0]).toMatch(/FerretDB was killed by SIGKILL; restarting it in 1 ms \(attempt 1\)/);
    expect(log[1]).toMatch(/did not restart \(address already in use\); .*attempt 2/);
    expect(log.at(-1)).toMatch(/FerretDB restarted on 127\.0\.0\.1:1234/);

    // It dies again soon after: the back-off goes on growing instead of starting over.
    started[0]!.crash('exited with code 2');
    await until(() => started.length === 2);
    expect(delays.at(-1)).toBe(4000);

    await supervisor.stop();
    expect(started[1]!.stopped).toBe(true);
    expect(log.join('\n')).not.toMatch(/stopped; restarting/);
  });

  it('stops promptly while waiting to restart, and never starts again after stop()', async () => {
    const first = fakeProcess('first');
    let relaunches = 0;
    const supervisor = superviseDatabase({
      first,
      relaunch: async () => {
        relaunches += 1;
        return fakeProcess('late');
      },
      log: () => {},
      where: 'here',
    });
    first.crash();
    await tick(20);
    const before = Date.now();
    await supervisor.stop(); // the first back-off is 500 ms
    expect(Date.now() - before).toBeLessThan(200);
    await tick(600);
    expect(relaunches).toBe(0);
  });

  it('stops a process whose restart finishes after stop() was called', async () => {
    const first = fakeProcess('first');
    const late = fakeProcess('late');
    let release!: () => void;
    const supervisor = superviseDatabase({
      first,
      relaunch: () =>
        new Promise<Supervisable>((resolve) => {
          release = () => resolve(late);
        }),
      log: () => {},
      where: 'here',
      delayMs: () => 1,
    });
    first.crash();
    await until(() => release !== undefined);
    const stopping = supervisor.stop();
    release();
    await stopping;
    expect(late.stopped).toBe(true);
  });
});
