import { parseTOML } from 'confbox';
import { describe, expect, it } from 'vitest';
import { mergeTomlEntry, type TomlMergeSpec } from '../../../relay/setup/toml-block';

const spec = (
  entry: TomlMergeSpec['entry'] = { name: 'hospiai', command: 'npx' },
): TomlMergeSpec => ({
  table: 'mcp_servers',
  name: 'hospiai',
  entry,
});

describe('TOML: [[mcp_servers]] (Mistral Vibe)', () => {
  it('appends our table after everything, separated by a blank line', () => {
    const original = 'active_model = "x"\n[tools.a]\npermission = "ask"\n';
    const { text } = mergeTomlEntry(original, spec());
    expect(text).toBe(`${original}\n[[mcp_servers]]\nname = "hospiai"\ncommand = "npx"\n`);
    expect(parseTOML(text)).toEqual({
      active_model: 'x',
      tools: { a: { permission: 'ask' } },
      mcp_servers: [{ name: 'hospiai', command: 'npx' }],
    });
  });

  it('replaces our element with its sub-tables, and nothing else', () => {
    const original = [
      '[[mcp_servers]]',
      'name = "a"',
      '',
      '[[mcp_servers]]',
      "name = 'hospiai'",
      'command = "fastmcp"',
      '[mcp_servers.env]',
      'HOSPIAI_TOKEN = "abc"',
      '',
      '[tools.x]',
      'permission = "always"',
      '',
    ].join('\n');
    const result = mergeTomlEntry(original, spec());
    expect(result.replaced).toContain('HOSPIAI_TOKEN');
    expect(result.text).toBe(
      '[[mcp_servers]]\nname = "a"\n\n[[mcp_servers]]\nname = "hospiai"\ncommand = "npx"\n\n[tools.x]\npermission = "always"\n',
    );
  });

  it('writes arrays and inline tables that TOML reads back exactly', () => {
    const entry = {
      name: 'hospiai',
      args: ['-y', 'a "b"', 'c\\d\u007f'],
      env: { HOSPIAI_URL: 'https://x.fr' },
    };
    expect(parseTOML(mergeTomlEntry(null, spec(entry)).text)).toEqual({ mcp_servers: [entry] });
  });

  it('ignores header-like lines inside multi-line strings', () => {
    const original = 'prompt = """\n[[mcp_servers]]\nname = "hospiai"\n"""\n';
    const { text } = mergeTomlEntry(original, spec());
    expect(text.startsWith(original)).toBe(true);
    expect(parseTOML(text)).toEqual({
      prompt: '[[mcp_servers]]\nname = "hospiai"\n',
      mcp_servers: [{ name: 'hospiai', command: 'npx' }],
    });
  });

  it.each([
    ['mcp_servers = []\n', /defined as a value/],
    ['[mcp_servers]\nname = "x"\n', /is a \[table\]/],
    ['[[mcp_servers]\nname = "x"\n', /line 1 has a layout/],
    [
      '[[mcp_servers]]\nname = "hospiai"\n[[mcp_servers]]\nname = "hospiai"\n',
      /appears more than once/,
    ],
    ['text = """\nnever closed\n', /unterminated multi-line string/],
  ])('refuses %j', (text, reason) => {
    expect(() => mergeTomlEntry(text, spec())).toThrow(reason);
  });
});

const keyed = (entry: TomlMergeSpec['entry'] = { command: 'npx' }): TomlMergeSpec => ({
  table: 'mcp_servers',
  layout: 'keyed',
  name: 'hospiai',
  entry,
});

describe('TOML: [mcp_servers.<name>] (Codex)', () => {
  it('appends our table after everything, separated by a blank line', () => {
    const original = 'model = "gpt-5.5"\n[mcp_servers.docs]\ncommand = "docs"\n';
    const { text, replaced } = mergeTomlEntry(original, keyed());
    expect(replaced).toBeNull();
    expect(text).toBe(`${original}\n[mcp_servers.hospiai]\ncommand = "npx"\n`);
    expect(parseTOML(text)).toEqual({
      model: 'gpt-5.5',
      mcp_servers: { docs: { command: 'docs' }, hospiai: { command: 'npx' } },
    });
  });

  it('replaces our table with its sub-tables, and nothing else', () => {
    const original = [
      '[mcp_servers.docs]',
      'command = "docs"',
      '',
      '[mcp_servers."hospiai"] # old entry',
      'command = "fastmcp"',
      '[mcp_servers.hospiai.env]',
      'HOSPIAI_TOKEN = "abc"',
      '',
      '[mcp_servers.after]',
      'command = "after"',
      '',
    ].join('\n');
    const result = mergeTomlEntry(original, keyed({ command: 'npx', args: ['-y', 'x@1.0.0'] }));
    expect(result.replaced).toContain('HOSPIAI_TOKEN');
    expect(result.text).toBe(
      '[mcp_servers.docs]\ncommand = "docs"\n\n[mcp_servers.hospiai]\ncommand = "npx"\nargs = ["-y", "x@1.0.0"]\n\n[mcp_servers.after]\ncommand = "after"\n',
    );
  });

  it('writes env as an inline table that TOML reads back exactly', () => {
    const entry = { command: 'npx', args: ['-y'], env: { HOSPIAI_URL: 'https://x.fr' } };
    expect(parseTOML(mergeTomlEntry('[mcp_servers]\n', keyed(entry)).text)).toEqual({
      mcp_servers: { hospiai: entry },
    });
  });

  it.each([
    ['mcp_servers = { hospiai = { command = "x" } }\n', /defined as a value/],
    ['[mcp_servers]\nhospiai = { command = "x" }\n', /line 2 defines "hospiai" as a value/],
    ['[mcp_servers]\nhospiai.command = "x"\n', /line 2 defines "hospiai" as a value/],
    ['[[mcp_servers]]\nname = "x"\n', /is \[\[mcp_servers\]\] tables/],
    [
      '[mcp_servers.hospiai]\ncommand = "a"\n[other]\n[mcp_servers.hospiai.env]\nA = "b"\n',
      /split over several places/,
    ],
    ['[mcp_servers.hospiai.env]\nA = "b"\n', /split over several places/],
  ])('refuses %j', (text, reason) => {
    expect(() => mergeTomlEntry(text, keyed())).toThrow(reason);
  });
});
