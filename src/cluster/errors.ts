/** The cluster could not start (its first worker died): a message for the operator, not a stack trace. */
export class ClusterError extends Error {}
