import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** vitest globalSetup: the integration and e2e tests drive the bundled relay, as clients do. */
export default function setup() {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  execFileSync(process.execPath, ['relay/build.mjs'], { cwd: root, stdio: 'inherit' });
}
