import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** vitest globalSetup: the e2e tests load the built Chrome MV3 extension. */
export default function setup() {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  execFileSync(process.execPath, ['node_modules/wxt/bin/wxt.mjs', 'build'], {
    cwd: root,
    stdio: 'inherit',
  });
}
