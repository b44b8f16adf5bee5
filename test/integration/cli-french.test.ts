/**
 * The built `hospiai-mcp` speaks the patient's language: HOSPIAI_MCP_LANG first, then LC_ALL,
 * LC_MESSAGES, LANG — in --help, pair, doctor, and the answers its tools give the assistant.
 */
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePortRange } from '../support/free-ports';
import { RELAY_BIN, startStdioRelay } from '../support/stdio-relay';

const run = promisify(execFile);
let home: string;
beforeAll(async () => {
  home = await mkdtemp(path.join(tmpdir(), 'hospiai-fr-'));
});
afterAll(() => rm(home, { recursive: true, force: true }));

async function cli(args: string[], env: Record<string, string>) {
  return (await cliRun(args, env)).output;
}

/** Runs the built CLI: its exit code and everything it printed. */
async function cliRun(args: string[], env: Record<string, string>) {
  const result = await run(process.execPath, [RELAY_BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', HOSPIAI_MCP_HOME: path.join(home, 'home'), ...env },
  }).then(
    (done) => ({ ...done, code: 0 }),
    (error: { stdout: string; stderr: string; code: number }) => error,
  );
  return { code: result.code, output: `${result.stdout}${result.stderr}` };
}

describe('the relay’s command line in French', () => {
  it('--help follows LANG=fr_FR.UTF-8, and HOSPIAI_MCP_LANG wins over LANG', async () => {
    const french = await cli(['--help'], { LANG: 'fr_FR.UTF-8' });
    expect(french).toContain('HospiAI pour votre assistant IA');
    expect(french).toContain('Environnement :');
    expect(french).toContain('vérifie chaque maillon');
    const english = await cli(['--help'], { LANG: 'fr_FR.UTF-8', HOSPIAI_MCP_LANG: 'en' });
    expect(english).toContain('HospiAI for your AI assistant');
    const cAll = await cli(['--help'], { LANG: 'en_US.UTF-8', LC_ALL: 'fr_FR.UTF-8' });
    expect(cAll).toContain('Environnement :');
  });

  it('pair and doctor speak French', async () => {
    const pair = await cli(['pair'], { HOSPIAI_MCP_LANG: 'fr' });
    expect(pair).toMatch(/Code d’appairage : {2}[0-9A-Z]{4}-[0-9A-Z]{4}/);
    expect(pair).toMatch(/valable 2 minutes \(jusqu’à \d{2}:\d{2}\)/);
    const ports = await freePortRange(1);
    const doctor = await cli(['doctor'], {
      LANG: 'fr_FR.UTF-8',
      HOSPIAI_URL: 'http://127.0.0.1:9',
      HOSPIAI_MCP_PORTS: ports.env,
    });
    expect(doctor).toContain('Premier maillon cassé');
    expect(doctor).toContain('appairage');
    expect(doctor).not.toContain('First broken link');
  });

  it('the assistant gets its answers in French', async () => {
    const ports = await freePortRange(1);
    const relay = await startStdioRelay({
      env: {
        LANG: 'fr_FR.UTF-8',
        HOSPIAI_MCP_HOME: path.join(home, 'relay'),
        HOSPIAI_MCP_PORTS: ports.env,
      },
    });
    try {
      const result = await relay.call('get_appointments');
      expect(JSON.stringify(result.content)).toContain('n’est pas encore appairé');
      expect(JSON.stringify(result.content)).toContain('Afficher un code');
    } finally {
      await relay.close();
    }
  });

  // Fourteen runs of the CLI one after the other: 30 s ran out at a load of 28.
  it('says what is wrong with its settings in French, then exits 2', {
    timeout: 90_000,
  }, async () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ HOSPIAI_URL: 'http://hospital.example' }, /HOSPIAI_URL doit utiliser https:\/\//],
      [{ HOSPIAI_URL: 'pas une url' }, /n’est pas une URL/],
      [{ HOSPIAI_MCP_PORTS: 'beaucoup' }, /n’est ni un port ni une plage/],
      [{ HOSPIAI_MCP_PORTS: '47619-47610' }, /finit avant de commencer/],
      [{ HOSPIAI_MCP_LOG_LEVEL: 'bavard' }, /doit valoir debug, info, warn ou error/],
      [{ HOSPIAI_MCP_CONFIRM_TIMEOUT_MS: '-5' }, /nombre entier positif de millisecondes/],
      [{ HOSPIAI_MCP_EXTENSION_IDS: 'abc' }, /n’est pas un identifiant d’extension Chrome/],
    ];
    for (const [env, french] of cases) {
      const { code, output } = await cliRun(['pair'], { LANG: 'fr_FR.UTF-8', ...env });
      expect(code, JSON.stringify(env)).toBe(2);
      expect(output).toMatch(french);
      // HOSPIAI_MCP_LANG wins over the locale, as everywhere.
      const english = await cli(['pair'], { LANG: 'fr_FR.UTF-8', HOSPIAI_MCP_LANG: 'en', ...env });
      expect(english).not.toMatch(french);
    }
  });

  it('refuses an unsafe home in French', async () => {
    const unsafe = path.join(home, 'unsafe');
    await mkdir(unsafe, { mode: 0o700 });
    await chmod(unsafe, 0o777);
    const { code, output } = await cliRun(['pair'], {
      LC_ALL: 'fr_FR.UTF-8',
      HOSPIAI_MCP_HOME: unsafe,
    });
    expect(code).toBe(2);
    expect(output).toContain(`Le dossier du relais HospiAI ${unsafe} est modifiable par d’autres`);
    expect(output).toContain('chmod 700');
    expect(output).not.toMatch(/[0-9A-Z]{4}-[0-9A-Z]{4}/);
  });

  it('setup’s argument errors speak French', async () => {
    const unknown = await cliRun(['setup', 'chatgpt'], { HOSPIAI_MCP_LANG: 'fr' });
    expect(unknown.code).toBe(2);
    expect(unknown.output).toContain('Assistant IA inconnu : chatgpt.');
    expect(await cli(['setup', 'cursor', '--forse'], { LANG: 'fr_FR.UTF-8' })).toMatch(
      /Option inconnue : --forse\.\nUsage : hospiai-mcp setup --list/,
    );
    expect(await cli(['setup', 'cursor', '--portal'], { LANG: 'fr_FR.UTF-8' })).toContain(
      '--portal attend une valeur.',
    );
    expect(
      await cli(['setup', 'cursor', '--portal', 'http://portail.example'], { LANG: 'fr_FR.UTF-8' }),
    ).toContain('--portal : utilisez une URL https://');
    expect(await cli(['setup', 'cursor', 'zed'], { LANG: 'fr_FR.UTF-8' })).toContain(
      'Un seul assistant IA à la fois (reçu cursor et zed).',
    );
    expect(await cli(['setup', '--list', '--os', 'beos'], { LANG: 'fr_FR.UTF-8' })).toContain(
      '--os doit valoir macos, windows, linux.',
    );
  });

  it('says in French that every port of its range is taken, and still answers the assistant', async () => {
    const ports = await freePortRange(1);
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(ports.first, '127.0.0.1', resolve));
    const relay = await startStdioRelay({
      env: {
        HOSPIAI_MCP_LANG: 'fr',
        HOSPIAI_MCP_HOME: path.join(home, 'full'),
        HOSPIAI_MCP_PORTS: ports.env,
      },
    });
    try {
      // The bridge comes up after `initialize`: a tool call waits for it.
      await relay.call('connection_status');
      expect(relay.stderr.join('')).toContain(
        `Tous les ports du pont de ${ports.first} à ${ports.last} sont pris`,
      );
      expect(relay.stderr.join('')).toContain('MCP fonctionne toujours');
    } finally {
      await relay.close();
      await new Promise((resolve) => squatter.close(resolve));
    }
  });
});
