/**
 * The built `hospiai-mcp` speaks the patient's language: HOSPIAI_MCP_LANG first, then LC_ALL,
 * LC_MESSAGES, LANG — in --help, pair, doctor, and the answers its tools give the assistant.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
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
  const result = await run(process.execPath, [RELAY_BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', HOSPIAI_MCP_HOME: path.join(home, 'home'), ...env },
  }).catch((error: { stdout: string; stderr: string }) => error);
  return `${result.stdout}${result.stderr}`;
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
});
