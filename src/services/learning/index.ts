/** The learning area's commands, bound to the service context in services/index.ts. */
export const learningCommands = {};
