/** The chain: each link runs only when the links it depends on gave it what it needs. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { runDoctor } from '../../../relay/doctor/run-doctor';

describe('doctor: the chain', () => {
  it('with a refused configuration, checks only what needs none: the AI clients', async () => {
    const home = await mkdtemp(path.join(tmpdir(), 'hospiai-doctor-'));
    onTestFinished(() => rm(home, { recursive: true, force: true }));
    const findings = await runDoctor({
      HOME: home,
      HOSPIAI_MCP_HOME: path.join(home, 'mcp'),
      HOSPIAI_URL: 'http://hospital.example',
    });
    expect(findings.map((finding) => [finding.check, finding.status])).toEqual([
      ['configuration', 'broken'],
      ['AI clients', 'warn'],
    ]);
  });
});
