import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { ReadPolicyStore } from '../../../relay/confirm/read-policy';
import { WRITE_TOOLS } from '../../../relay/protocol/tool-catalogue';
import { tools } from '../../../relay/tools/index';
import {
  README,
  TOOL_CATALOGUE,
  toolCatalogue,
  withToolTable,
} from '../../docs/generate-from-tools';

describe('README', () => {
  it('lists exactly the relay’s tools, as generated from their definitions (npm run docs)', async () => {
    const readme = await readFile(README, 'utf8');
    expect(readme).toBe(withToolTable(readme));
    for (const tool of tools) expect(readme).toContain(`\`${tool.name}\``);
  });
});

describe('the tool catalogue of the wire contract', () => {
  it('is generated from the tools’ kinds (npm run docs): a read or write tool missing from it would skip the patient’s read policy', async () => {
    expect(await readFile(TOOL_CATALOGUE, 'utf8')).toBe(toolCatalogue());
  });

  it('lets the patient’s “ask” policy reach every tool that reads patient data', () => {
    for (const tool of tools.filter((t) => t.kind === 'read' && t.scope !== null)) {
      const policy = new ReadPolicyStore();
      policy.set({ type: 'policy', reads: { [tool.name]: 'ask' } });
      expect({ tool: tool.name, asks: policy.requiresConfirmation(tool.name) }).toEqual({
        tool: tool.name,
        asks: true,
      });
    }
  });

  it('lists every tool that changes something as always confirmed', () => {
    const writes = tools
      .filter((t) => t.kind === 'write' || t.kind === 'destructive')
      .map((t) => t.name);
    expect([...WRITE_TOOLS]).toEqual(writes);
  });
});
