import { type CliCommand, CliUsageError, stringFlag } from '../types.js';

export const command: CliCommand = {
  name: 'scim:token',
  usage: 'scim:token [--label "<what it is for>"]  |  scim:token --list  |  scim:token --revoke <id>',
  async run(ctx, args) {
    const identity = ctx.services.identity;
    const now = ctx.clock.now();
    const operator = `cli:${process.env.USER ?? 'operator'}`;
    if (args.flags.list === true) {
      const tokens = await identity.listScimTokens({});
      if (!tokens.length) ctx.out('No SCIM tokens.');
      for (const t of tokens)
        ctx.out(
          `${t._id}  created ${t.createdAt.toISOString()} by ${t.createdBy}  ${t.revokedAt ? `revoked ${t.revokedAt.toISOString()}` : 'active'}  last used ${t.lastUsedAt?.toISOString() ?? 'never'}${t.label ? `  ${t.label}` : ''}`,
        );
      return 0;
    }
    const revoke = stringFlag(args, 'revoke');
    if (revoke !== undefined) {
      if (!(await identity.revokeScimToken({ id: revoke, revokedBy: operator, now })))
        throw new CliUsageError(`No active SCIM token with id ${revoke}.`);
      ctx.out(`Revoked SCIM token ${revoke}.`);
      return 0;
    }
    const { id, token } = await identity.createScimToken({
      createdBy: operator,
      label: stringFlag(args, 'label') ?? '',
      now,
    });
    ctx.out(`SCIM token ${id} created. Copy it now: it is shown only this once and stored hashed.`);
    ctx.out(token);
    return 0;
  },
};
