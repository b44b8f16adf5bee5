/** `.ci/run`: installs the pinned AI client CLIs into .ci/cache/clients before the parallel runs. */
import { CODEX_CLI, GEMINI_CLI, installedCli } from './client-clis';

for (const cli of [GEMINI_CLI, CODEX_CLI]) {
  console.log(`${cli.pkg}@${cli.version}: ${await installedCli(cli)}`);
}
