import type { KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { keyIdOf, parseFingerprint, parsePublicKey, parseSigningKey } from '../../domain/audit-anchor.js';
import type { CliCommand } from '../types.js';
import { type CliContext, CliUsageError, stringFlag } from '../types.js';

/** The key the anchors are checked with: `--public-key <file>` (an auditor), else the app's own. */
async function publicKeyFor(ctx: CliContext, file: string | undefined): Promise<KeyObject | null> {
  if (file) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      throw new CliUsageError(`--public-key ${file}: ${(err as Error).message}`);
    }
    try {
      return parsePublicKey(text);
    } catch (err) {
      throw new CliUsageError(`--public-key ${file} ${(err as Error).message}`);
    }
  }
  const pem = ctx.config.AUDIT_SIGNING_KEY;
  return pem ? parseSigningKey(pem) : null;
}

export const command: CliCommand = {
  name: 'audit:verify',
  usage:
    'audit:verify [--public-key <file.pem>] [--fingerprint <seq:hash from a digest e-mail>]\n' +
    '      check the hash-chained audit log against its signed hourly anchors (with the configured key,\n' +
    "      or an auditor's copy of the public key) and, if given, a fingerprint kept outside the app;\n" +
    '      exit 1 on any failure',
  needsCourses: false,
  async run(ctx, args) {
    const fingerprintText = stringFlag(args, 'fingerprint');
    const fingerprint = fingerprintText === undefined ? undefined : parseFingerprint(fingerprintText);
    if (fingerprint === null)
      throw new CliUsageError(
        `--fingerprint "${fingerprintText}" is not a fingerprint: use <event number>:<hex digits> as the digest e-mail shows it`,
      );
    const publicKey = await publicKeyFor(ctx, stringFlag(args, 'public-key'));
    const report = await ctx.services.audit.verifyAudit({ publicKey, now: ctx.clock.now(), fingerprint });
    const { signed, unsigned } = report.anchors;
    const key = publicKey ? `key ${keyIdOf(publicKey)}` : 'no key';
    const checked = `${signed} signed anchor${signed === 1 ? '' : 's'} (${key}), ${unsigned} unsigned from before signing`;
    if (report.ok) ctx.out(`OK: audit chain intact (${report.count} events, checked against ${checked})`);
    else {
      if (report.brokenAt) ctx.out(`BROKEN at event ${report.brokenAt.seq}: ${report.brokenAt.reason}`);
      else ctx.out(`FAILED: ${report.failures.length} problem${report.failures.length === 1 ? '' : 's'}`);
      const intact = report.brokenAt ? 'events before it verified intact' : 'events linked intact';
      ctx.out(`${report.count} ${intact} (${checked}).`);
      for (const f of report.failures) ctx.out(`  failure: ${f}`);
    }
    for (const n of report.notes) ctx.out(`  note: ${n}`);
    return report.ok ? 0 : 1;
  },
};
