import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { shellEnv } from './shell-env';

/**
 * vitest globalSetup: the e2e tests load the built Chrome MV3 and Firefox MV3 extensions.
 * `.ci/run` builds once before its parallel runs and sets HOSPIAI_TEST_PREBUILT. Built as
 * `npm run build:extension` builds it (vitest's NODE_ENV=test would give an unminified one).
 */
export default function setup() {
  if (process.env.HOSPIAI_TEST_PREBUILT) return;
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const wxt = ['node_modules/wxt/bin/wxt.mjs', 'build'];
  for (const args of [wxt, [...wxt, '-b', 'firefox', '--mv3']]) {
    execFileSync(process.execPath, args, { cwd: root, stdio: 'inherit', env: shellEnv() });
  }
}
