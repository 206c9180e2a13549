import type { ServiceContext } from '../context.js';
import type { ErasePersonInput, ErasureResult } from './erase.js';

/** The erasure itself, without the duty check (being built). */
export async function erasePersonNow(_ctx: ServiceContext, input: ErasePersonInput): Promise<ErasureResult> {
  throw new Error(`erasePerson is being built (${input.userId})`);
}
