import { describe, expect, it } from 'vitest';
import { parseJsonText, setJsonMember } from '../../../relay/setup/jsonc-edit';

const entry = { command: 'npx', args: ['-y', 'hospiai-mcp'] };
const strict = { comments: false };
const jsonc = { comments: true };

describe('setJsonMember: edits the text, keeps the rest', () => {
  it('creates a whole file when there is none', () => {
    expect(setJsonMember(null, 'mcpServers', 'hospiai', entry, strict)).toEqual({
      text: '{\n  "mcpServers": {\n    "hospiai": {\n      "command": "npx",\n      "args": [\n        "-y",\n        "hospiai-mcp"\n      ]\n    }\n  }\n}\n',
      replaced: null,
    });
  });

  it('adds our server after the others, in the file’s own indentation', () => {
    const original = '{\n    "mcpServers": {\n        "a": { "command": "x" }\n    }\n}\n';
    expect(setJsonMember(original, 'mcpServers', 'hospiai', { command: 'npx' }, strict).text).toBe(
      '{\n    "mcpServers": {\n        "a": { "command": "x" },\n        "hospiai": {\n            "command": "npx"\n        }\n    }\n}\n',
    );
  });

  it('adds the container at the end of the top-level object when missing', () => {
    const original = '{\n\t"theme": "dark"\n}';
    expect(setJsonMember(original, 'servers', 'hospiai', { command: 'npx' }, strict).text).toBe(
      '{\n\t"theme": "dark",\n\t"servers": {\n\t\t"hospiai": {\n\t\t\t"command": "npx"\n\t\t}\n\t}\n}',
    );
  });

  it('replaces only the value of an existing entry and reports what it replaced', () => {
    const original = '{"mcpServers":{"a":1,"hospiai":{"command":"old"},"b":2}}';
    const result = setJsonMember(original, 'mcpServers', 'hospiai', { command: 'npx' }, strict);
    expect(result.replaced).toBe('{"command":"old"}');
    expect(result.text.startsWith('{"mcpServers":{"a":1,"hospiai":')).toBe(true);
    expect(result.text.endsWith(',"b":2}}')).toBe(true);
    expect(JSON.parse(result.text)).toEqual({
      mcpServers: { a: 1, hospiai: { command: 'npx' }, b: 2 },
    });
  });

  it('keeps comments and a trailing comma in JSONC, and puts our member after a last-line comment', () => {
    const original =
      '{\n  /* servers */\n  "servers": {\n    "a": {}, // first\n    // nothing after this\n  },\n}\n';
    const { text } = setJsonMember(original, 'servers', 'hospiai', { command: 'npx' }, jsonc);
    expect(text).toBe(
      '{\n  /* servers */\n  "servers": {\n    "a": {}, // first\n    // nothing after this\n    "hospiai": {\n      "command": "npx"\n    }\n  },\n}\n',
    );
  });

  it('keeps Windows line endings and a byte-order mark', () => {
    const original = '\uFEFF{\r\n  "theme": "dark"\r\n}\r\n';
    const { text } = setJsonMember(original, 'servers', 'hospiai', { command: 'npx' }, strict);
    expect(text).toBe(
      '\uFEFF{\r\n  "theme": "dark",\r\n  "servers": {\r\n    "hospiai": {\r\n      "command": "npx"\r\n    }\r\n  }\r\n}\r\n',
    );
  });

  it('gives the same text when run on its own output', () => {
    const once = setJsonMember('{"x": [1, 2]}', 'mcpServers', 'hospiai', entry, strict).text;
    expect(setJsonMember(once, 'mcpServers', 'hospiai', entry, strict).text).toBe(once);
  });

  it('treats a "__proto__" key as data', () => {
    const { text } = setJsonMember(
      '{"__proto__": {"polluted": true}}',
      'mcpServers',
      'hospiai',
      entry,
      strict,
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(JSON.parse(text))).toEqual(['__proto__', 'mcpServers']);
  });
});

describe('setJsonMember: refuses what it cannot edit safely', () => {
  it.each([
    ['{"mcpServers": {"a": 1,}}', /trailing comma \(line 1, column 24\)/],
    ['{"mcpServers": {}} // note', /comments are not allowed/],
    ['{"mcpServers": ', /unexpected end of file/],
    ['[1, 2]', /top level is not a JSON object/],
    ['{"mcpServers": []}', /"mcpServers" is not a JSON object/],
    ['{"mcpServers": {}, "mcpServers": {}}', /"mcpServers" appears more than once/],
    [
      '{"mcpServers": {"hospiai": 1, "hospiai": 2}}',
      /"mcpServers"."hospiai" appears more than once/,
    ],
    ["{'single': 1}", /expected a property name/],
  ])('%s', (text, reason) => {
    expect(() => setJsonMember(text, 'mcpServers', 'hospiai', entry, strict)).toThrow(reason);
  });

  it('never quotes the file’s values in its error', () => {
    expect(() => parseJsonText('{"env": {"API_KEY": "sk-secret" oops}}', strict)).toThrow(
      /^it is not valid JSON: expected "," or "}" \(line 1, column 33\)$/,
    );
  });
});
