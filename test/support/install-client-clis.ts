/** `.ci/run`: installs the pinned AI client CLIs into .ci/cache/clients before the parallel runs. */
import { CLAUDE_CODE, CODEX_CLI, GEMINI_CLI, installedCli } from './client-clis';

for (const cli of [GEMINI_CLI, CODEX_CLI, CLAUDE_CODE]) {
  console.log(`${cli.pkg}@${cli.version}: ${await installedCli(cli)}`);
}
