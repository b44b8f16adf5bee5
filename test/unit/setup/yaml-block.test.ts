import { parseYAML } from 'confbox';
import { describe, expect, it } from 'vitest';
import { mergeYamlEntry, type YamlMergeSpec } from '../../../relay/setup/yaml-block';

const goose = (entry = { cmd: 'npx', args: ['-y', 'hospiai-mcp'], envs: {} }): YamlMergeSpec => ({
  container: 'extensions',
  layout: 'map',
  name: 'hospiai',
  entry,
  newFileHeader: [],
});
const continueSpec = (entry = { name: 'hospiai', command: 'npx' }): YamlMergeSpec => ({
  container: 'mcpServers',
  layout: 'list',
  name: 'hospiai',
  entry,
  newFileHeader: ['name: Local Assistant', 'version: 1.0.0', 'schema: v1'],
});

describe('YAML: map of servers (Goose)', () => {
  it('adds our block after the other extensions, before the next top-level key', () => {
    const original = 'extensions:\n  developer:\n    type: builtin\n\n# model\nGOOSE_MODEL: x\n';
    expect(mergeYamlEntry(original, goose()).text).toBe(
      'extensions:\n  developer:\n    type: builtin\n  hospiai:\n    cmd: "npx"\n    args:\n      - "-y"\n      - "hospiai-mcp"\n    envs: {}\n\n# model\nGOOSE_MODEL: x\n',
    );
  });

  it('follows the file’s indentation of the extensions', () => {
    const original = 'extensions:\n    developer:\n        type: builtin\n';
    const { text } = mergeYamlEntry(original, goose({ cmd: 'npx', args: [], envs: {} }));
    expect(text).toBe(
      'extensions:\n    developer:\n        type: builtin\n    hospiai:\n      cmd: "npx"\n      args: []\n      envs: {}\n',
    );
    expect(parseYAML(text)).toEqual({
      extensions: { developer: { type: 'builtin' }, hospiai: { cmd: 'npx', args: [], envs: {} } },
    });
  });

  it('replaces only our block, whatever it held, and reports it', () => {
    const original =
      'extensions:\n  hospiai:\n    cmd: fastmcp\n    envs:\n      HOSPIAI_TOKEN: abc\n  other:\n    type: builtin\n';
    const result = mergeYamlEntry(original, goose({ cmd: 'npx', args: [], envs: {} }));
    expect(result.replaced).toContain('HOSPIAI_TOKEN');
    expect(result.text).toBe(
      'extensions:\n  hospiai:\n    cmd: "npx"\n    args: []\n    envs: {}\n  other:\n    type: builtin\n',
    );
  });

  it('turns an empty flow mapping into a block', () => {
    expect(
      mergeYamlEntry('extensions: {}\nX: 1\n', goose({ cmd: 'npx', args: [], envs: {} })).text,
    ).toBe('extensions:\n  hospiai:\n    cmd: "npx"\n    args: []\n    envs: {}\nX: 1\n');
  });

  it('quotes strings so that YAML keeps them as strings', () => {
    const { text } = mergeYamlEntry(
      null,
      goose({ cmd: 'C:\\node "x"\n', args: ['yes', '1.0', 'null', '#x'], envs: {} }),
    );
    expect(parseYAML(text)).toEqual({
      extensions: {
        hospiai: { cmd: 'C:\\node "x"\n', args: ['yes', '1.0', 'null', '#x'], envs: {} },
      },
    });
  });

  it.each([
    ['extensions: { developer: { type: builtin } }\n', /inline/],
    ['extensions:\n  - developer\n', /is a list, not a mapping/],
    ['a: 1\n---\nb: 2\n', /several YAML documents/],
    ['extensions:\n\tdeveloper: {}\n', /indented with a tab/],
    ['- a\n- b\n', /top level is not a mapping/],
    ['extensions:\n  developer: {}\nextensions:\n  x: {}\n', /appears more than once/],
    ['extensions:\n  hospiai: {}\n  hospiai: {}\n', /"hospiai" appears more than once/],
    ['extensions:\n    developer: {}\n  odd: {}\n', /line 3 has a layout/],
    ['? complex key\n: value\n', /line 1 has a layout/],
  ])('refuses %j', (text, reason) => {
    expect(() => mergeYamlEntry(text, goose())).toThrow(reason);
  });
});

describe('YAML: list of servers (Continue)', () => {
  it('starts a new file with the fields Continue requires', () => {
    expect(mergeYamlEntry(null, continueSpec()).text).toBe(
      'name: Local Assistant\nversion: 1.0.0\nschema: v1\nmcpServers:\n  - name: "hospiai"\n    command: "npx"\n',
    );
  });

  it('appends a list item, keeping a list written without indentation', () => {
    const original = 'mcpServers:\n- name: A\n  command: a\nmodels: []\n';
    const { text } = mergeYamlEntry(original, continueSpec());
    expect(text).toBe(
      'mcpServers:\n- name: A\n  command: a\n- name: "hospiai"\n  command: "npx"\nmodels: []\n',
    );
    expect(parseYAML(text)).toEqual({
      mcpServers: [
        { name: 'A', command: 'a' },
        { name: 'hospiai', command: 'npx' },
      ],
      models: [],
    });
  });

  it('finds our item by its name, wherever the key is in the item', () => {
    const original = "mcpServers:\n  - command: old\n    name: 'hospiai' # ours\n  - name: B\n";
    const result = mergeYamlEntry(original, continueSpec());
    expect(result.text).toBe('mcpServers:\n  - name: "hospiai"\n    command: "npx"\n  - name: B\n');
    expect(result.replaced).toContain('command: old');
  });

  it('does not take a nested name for the item’s name', () => {
    const original = 'mcpServers:\n  - name: B\n    env:\n      name: hospiai\n';
    const { text } = mergeYamlEntry(original, continueSpec());
    expect(parseYAML(text)).toEqual({
      mcpServers: [
        { name: 'B', env: { name: 'hospiai' } },
        { name: 'hospiai', command: 'npx' },
      ],
    });
  });

  it('keeps Windows line endings', () => {
    expect(mergeYamlEntry('schema: v1\r\n', continueSpec()).text).toBe(
      'schema: v1\r\nmcpServers:\r\n  - name: "hospiai"\r\n    command: "npx"\r\n',
    );
  });

  it('refuses a mapping where a list is expected', () => {
    expect(() => mergeYamlEntry('mcpServers:\n  a: 1\n', continueSpec())).toThrow(
      /is a mapping, not a list/,
    );
  });
});
