/**
 * The sandbox portal in its own process for the remote load benchmark (so that it does not share
 * an event loop with the load generator), with synthetic patients, and a token for each patient
 * (both demo patients first). Prints one JSON line — `{url, patients:[{id, email, token}]}` — on
 * stdout, then runs until SIGTERM. Test-only: a real portal never hands tokens out like this.
 */
import { DEMO_PATIENTS, startSandboxPortal } from '../sandbox/portal';

const count = Number(process.argv[2] ?? 100);
const extra = Math.max(0, count - DEMO_PATIENTS.length);
const portal = await startSandboxPortal({ extraPatients: extra });
const emails = [
  ...DEMO_PATIENTS.map((p) => ({ id: p.id, email: p.email })),
  ...Array.from({ length: extra }, (_, i) => {
    const n = String(i + 1).padStart(4, '0');
    return { id: `pat_load${n}`, email: `patient${n}@load.hospiai.test` };
  }),
].slice(0, count);
const patients = [];
for (const p of emails) {
  const { token } = await portal.issueToken({
    email: p.email,
    scopes: ['read:data', 'book:appointments'],
  });
  patients.push({ ...p, token });
}
process.stdout.write(`${JSON.stringify({ url: portal.url, patients })}\n`);
await new Promise<void>((resolve) => {
  process.once('SIGTERM', resolve);
  process.once('SIGINT', resolve);
});
await portal.close();
