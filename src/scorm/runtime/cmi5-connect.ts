import Cmi5Package from '@xapi/cmi5';
import type { Outbox, OutboxJob } from './cmi5-outbox.js';
import { Cmi5Session } from './cmi5-session.js';

type StatementJob = Extract<OutboxJob, { kind: 'statement' }>;

/**
 * The library's class. Its typings read as CommonJS under NodeNext (the class under `.default`)
 * while esbuild bundles its ES module (the class itself): take it either way.
 */
const Cmi5 = ((Cmi5Package as unknown as { default?: unknown }).default ??
  Cmi5Package) as typeof Cmi5Package.default;
type Cmi5 = InstanceType<typeof Cmi5>;

/** The library, with every statement it builds going through the outbox instead of straight to the LRS. */
class QueuedCmi5 extends Cmi5 {
  outbox: Outbox | undefined;

  override sendXapiStatement(
    statement: Parameters<Cmi5['sendXapiStatement']>[0],
    options?: Parameters<Cmi5['sendXapiStatement']>[1],
  ): ReturnType<Cmi5['sendXapiStatement']> {
    const built = options?.transform ? options.transform(statement) : statement;
    this.outbox!.push({ kind: 'statement', statement: built as unknown as StatementJob['statement'] });
    return Promise.resolve({ data: [built.id] }) as unknown as ReturnType<Cmi5['sendXapiStatement']>;
  }
}

/** The cmi5 session when the page was launched with the five launch parameters; else null. */
export function connectCmi5(): Cmi5Session | null {
  if (!Cmi5.isCmiAvailable) return null;
  try {
    return new Cmi5Session(new QueuedCmi5());
  } catch (error) {
    console.error('cmi5 launch parameters unusable:', error);
    return null;
  }
}
