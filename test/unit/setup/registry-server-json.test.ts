/**
 * server.json, the MCP Registry's description of this server, checked against the registry's
 * published schema (2025-12-11, vendored in test/fixtures/mcp-registry: tests have no network)
 * and against package.json, which the registry checks it against when publishing.
 */
import { readFile } from 'node:fs/promises';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';

const readJson = async (relative: string) =>
  JSON.parse(await readFile(new URL(`../../../${relative}`, import.meta.url), 'utf8'));

const schema = await readJson('test/fixtures/mcp-registry/server.schema.2025-12-11.json');
const server = await readJson('server.json');
const pkg = await readJson('package.json');

interface RegistryPackage {
  registryType: string;
  identifier: string;
  version?: string;
  transport: { type: string };
}

function validator() {
  // The schema's own keywords (`example`) are annotations; `uri` is its one format.
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addFormat('uri', (value: string) => URL.canParse(value));
  return ajv.compile(schema);
}

describe('server.json for the MCP Registry', () => {
  it('names the schema it is checked against', () => {
    expect(server.$schema).toBe(schema.$id);
    expect(schema.$id).toBe(
      'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json',
    );
  });

  it('is valid against the registry’s published schema', () => {
    const validate = validator();
    expect(validate(server), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it('the check can fail: a server.json without version or with a bad name is refused', () => {
    const validate = validator();
    const { version: _dropped, ...withoutVersion } = server;
    expect(validate(withoutVersion)).toBe(false);
    expect(validate({ ...server, name: 'hospiai-mcp' })).toBe(false);
    expect(validate({ ...server, description: 'x'.repeat(101) })).toBe(false);
  });

  it('agrees with package.json: name (mcpName), version, npm package, .mcpb of that release', () => {
    expect(pkg.mcpName).toBe(server.name);
    expect(server.version).toBe(pkg.version);
    const packages = server.packages as RegistryPackage[];
    const npm = packages.find((entry) => entry.registryType === 'npm');
    expect(npm).toMatchObject({ identifier: pkg.name, version: pkg.version });
    const mcpb = packages.find((entry) => entry.registryType === 'mcpb');
    const repository = String(pkg.repository.url)
      .replace(/^git\+/, '')
      .replace(/\.git$/, '');
    expect(mcpb?.identifier).toBe(
      `${repository}/releases/download/v${pkg.version}/hospiai-mcp.mcpb`,
    );
    expect(server.repository.url).toBe(repository);
    for (const entry of packages) expect(entry.transport).toEqual({ type: 'stdio' });
  });
});
