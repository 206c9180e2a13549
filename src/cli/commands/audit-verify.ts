import { verifyAuditChain } from '../../services/audit-verify.js';
import type { CliCommand } from '../types.js';

export const command: CliCommand = {
  name: 'audit:verify',
  usage: 'audit:verify   check the whole hash-chained audit log; exit 1 at the first broken link',
  needsCourses: false,
  async run(ctx) {
    const report = await verifyAuditChain(ctx.db.models);
    if (report.ok) {
      ctx.out(`OK: audit chain intact (${report.count} events)`);
      return 0;
    }
    ctx.out(`BROKEN at event ${report.brokenAt.seq}: ${report.brokenAt.reason}`);
    ctx.out(`${report.count} events before it verified intact.`);
    return 1;
  },
};
