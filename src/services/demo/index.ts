import { seedDemo, seedDemoTraining } from './seed.js';

export { demoLoginLines } from './seed.js';

/**
 * The demo area's commands, bound to the service context in services/index.ts: the demo
 * organisation (into an empty database only) and its training history (through the live services).
 */
export const demoCommands = { seedDemo, seedDemoTraining };
