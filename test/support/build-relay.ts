import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * vitest globalSetup: the integration and e2e tests drive the bundled relay, as clients do.
 * `.ci/run` builds once before its parallel runs (Node 20, 22, 24) and sets
 * HOSPIAI_TEST_PREBUILT, so that no run rewrites dist/ while another one starts relays from it.
 */
export default function setup() {
  if (process.env.HOSPIAI_TEST_PREBUILT) return;
  const root = fileURLToPath(new URL('../..', import.meta.url));
  execFileSync(process.execPath, ['relay/build.mjs'], { cwd: root, stdio: 'inherit' });
  // Its .mcpb too: the extension's build ships it (the popup's download), and it runs next.
  execFileSync(process.execPath, ['relay/build-mcpb.mjs'], { cwd: root, stdio: 'inherit' });
}
