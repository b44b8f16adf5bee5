// Child process for the cross-process test: appends `count` entries labelled `label`.
import { openAuditLog } from '../../../relay/audit/audit-log';

const [dir, label, count] = process.argv.slice(2);
if (!dir || !label || !count) throw new Error('usage: append-worker <dir> <label> <count>');
const log = openAuditLog({ dir });
for (let index = 0; index < Number(count); index++) {
  await log.append({
    at: new Date().toISOString(),
    client: label,
    tool: 'get_appointments',
    scopes: ['read:data'],
    resourceIds: [`${label}-${index}`],
    outcome: 'ok',
    durationMs: index,
  });
}
