import type { Models } from '../../../src/db/models/index.js';

type ModelName = keyof Models;

/**
 * Buffers documents per collection and writes them with unordered `insertMany` in batches, so a
 * 100k-person organisation streams through in constant memory. Bypasses mongoose casting on
 * purpose: the generator builds documents with the models' exact field types already.
 */
export class BatchWriter {
  private readonly buffers = new Map<ModelName, Record<string, unknown>[]>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private failure: unknown = null;
  readonly counts: Partial<Record<ModelName, number>> = {};

  constructor(
    private readonly models: Models,
    private readonly batchSize = 2000,
    /** Batches written concurrently: FerretDB encodes documents on several cores, SQLite writes one at a time. */
    private readonly parallel = 3,
  ) {}

  /** Queues documents; returns a promise to await (back-pressure) when a batch was flushed. */
  async add(model: ModelName, docs: readonly object[]): Promise<void> {
    if (docs.length === 0) return;
    let buffer = this.buffers.get(model);
    if (!buffer) {
      buffer = [];
      this.buffers.set(model, buffer);
    }
    for (const d of docs) buffer.push(d as Record<string, unknown>);
    this.counts[model] = (this.counts[model] ?? 0) + docs.length;
    if (buffer.length >= this.batchSize) await this.flushOne(model);
  }

  private async flushOne(model: ModelName): Promise<void> {
    const docs = this.buffers.get(model) ?? [];
    if (docs.length === 0) return;
    this.buffers.set(model, []);
    // A few batches in flight while the next ones are generated: overlap without unbounded memory.
    while (this.inFlight.size >= this.parallel) await Promise.race(this.inFlight).catch(() => {});
    if (this.failure) throw this.failure;
    const write = this.models[model].collection.insertMany(docs, { ordered: false });
    this.inFlight.add(write);
    write.then(
      () => this.inFlight.delete(write),
      (err: unknown) => {
        this.failure ??= err;
        this.inFlight.delete(write);
      },
    );
  }

  async flush(): Promise<void> {
    for (const model of this.buffers.keys()) await this.flushOne(model);
    await Promise.allSettled(this.inFlight);
    if (this.failure) throw this.failure;
  }
}
