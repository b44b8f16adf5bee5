import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { tools } from '../../../relay/tools/index';
import { README, withToolTable } from '../../docs/tool-table';

describe('README', () => {
  it('lists exactly the relay’s tools, as generated from their definitions (npm run docs)', async () => {
    const readme = await readFile(README, 'utf8');
    expect(readme).toBe(withToolTable(readme));
    for (const tool of tools) expect(readme).toContain(`\`${tool.name}\``);
  });
});
