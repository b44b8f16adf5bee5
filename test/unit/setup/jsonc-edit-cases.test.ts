import { describe, expect, it } from 'vitest';
import { parseJsonText, setJsonMember } from '../../../relay/setup/jsonc-edit';

const strict = { comments: false };
const jsonc = { comments: true };

describe('setJsonMember: replacing an entry touches nothing around it', () => {
  it('keeps the comment after the old value and the member after it, and indents at its depth', () => {
    const original =
      '{\n    "mcpServers": {\n        "hospiai": { "command": "old" }, // ours\n        "b": 1\n    }\n}\n';
    const { text, replaced } = setJsonMember(
      original,
      'mcpServers',
      'hospiai',
      { command: 'npx', args: ['-y'] },
      jsonc,
    );
    expect(replaced).toBe('{ "command": "old" }');
    expect(text).toBe(
      '{\n    "mcpServers": {\n        "hospiai": {\n            "command": "npx",\n            "args": [\n                "-y"\n            ]\n        }, // ours\n        "b": 1\n    }\n}\n',
    );
  });

  it('replaces in a file that starts with a byte-order mark and keeps the mark', () => {
    const original = '\uFEFF{\n  "servers": {\n    "hospiai": 1\n  }\n}\n';
    const { text } = setJsonMember(original, 'servers', 'hospiai', { command: 'npx' }, jsonc);
    expect(text).toBe(
      '\uFEFF{\n  "servers": {\n    "hospiai": {\n      "command": "npx"\n    }\n  }\n}\n',
    );
  });

  it('adds no second comma after a member that already has a trailing one', () => {
    const { text } = setJsonMember('{"servers": {"a": 1,}}', 'servers', 'hospiai', {}, jsonc);
    expect(text).toBe('{"servers": {"a": 1,\n  "hospiai": {}\n}}');
  });
});

describe('setJsonMember: refuses what would not read back as intended', () => {
  it('refuses an entry JSON cannot hold (NaN) rather than writing null in its place', () => {
    expect(() =>
      setJsonMember('{"mcpServers": {}}', 'mcpServers', 'hospiai', { port: Number.NaN }, strict),
    ).toThrow(/would not read back as intended \(nothing written\)/);
    expect(() =>
      setJsonMember(
        '{"mcpServers": {"hospiai": 1}}',
        'mcpServers',
        'hospiai',
        { port: Number.NaN },
        strict,
      ),
    ).toThrow(/would not read back as intended/);
  });
});

describe('parseJsonText: says where and what, never quoting the file', () => {
  it.each([
    ['{"a": [1 2]}', strict, 'expected "," or "]" (line 1, column 10)'],
    ['{"a" 1}', strict, 'expected ":" (line 1, column 6)'],
    ['{"a": }', strict, 'expected a value (line 1, column 7)'],
    ['{"a": 1}\n x', strict, 'unexpected text after the end of the JSON value (line 2, column 2)'],
    ['{"a": "\u0001"}', strict, 'invalid string (line 1, column 7)'],
    ['{"a": [1,]}', strict, 'trailing comma (line 1, column 10)'],
    ['{"a": 1 /* open', jsonc, 'unterminated comment (line 1, column 9)'],
    ['', strict, 'unexpected end of file (line 1, column 1)'],
  ])('%j', (text, options, problem) => {
    expect(() => parseJsonText(text, options)).toThrow(`it is not valid JSON: ${problem}`);
  });

  it('accepts comments and trailing commas only in JSONC', () => {
    const text = '{\n  // note\n  "a": [1, 2,],\n}';
    expect(parseJsonText(text, jsonc)).toEqual({ a: [1, 2] });
    expect(() => parseJsonText(text, strict)).toThrow(/comments are not allowed/);
  });

  it('reads a "__proto__" key as data', () => {
    const value = parseJsonText('{"__proto__": {"polluted": true}}', strict) as object;
    expect(Object.keys(value)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
