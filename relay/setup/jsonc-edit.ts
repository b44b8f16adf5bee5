/**
 * Sets one member of a JSON (or JSON-with-comments) configuration file by editing its text, not
 * by re-serialising it: everything else — other servers, unrelated keys, comments, key order,
 * indentation — survives byte for byte. The result is parsed again and compared with what was
 * intended before anyone writes it.
 */
import type { ConfigMap, ConfigValue } from './clients';
import { ConfigMergeError, type MergeResult } from './merge-result';

export interface JsonTextOptions {
  /** Accept // and /* *\/ comments and trailing commas (VS Code's and Zed's settings). */
  comments: boolean;
}

interface Span {
  start: number;
  end: number;
}
interface ObjectNode extends Span {
  kind: 'object';
  members: Member[];
  value: ConfigMap;
}
interface ArrayNode extends Span {
  kind: 'array';
  value: ConfigValue[];
}
interface ScalarNode extends Span {
  kind: 'scalar';
  value: string | number | boolean | null;
}
type JsonNode = ObjectNode | ArrayNode | ScalarNode;
interface Member {
  key: string;
  keyStart: number;
  value: JsonNode;
  commaAfter: boolean;
}

// JSON forbids raw control characters in strings; the class below excludes them on purpose.
// biome-ignore lint/suspicious/noControlCharactersInRegex: see above
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERAL = /true|false|null/y;

class JsonTextParser {
  private pos = 0;

  constructor(
    private readonly text: string,
    private readonly comments: boolean,
  ) {
    if (text.startsWith('\uFEFF')) this.pos = 1;
  }

  parseDocument(): JsonNode {
    const root = this.parseValue();
    this.skipTrivia();
    if (this.pos < this.text.length) this.fail('unexpected text after the end of the JSON value');
    return root;
  }

  private fail(problem: string, at = this.pos): never {
    const before = this.text.slice(0, at);
    const line = before.split('\n').length;
    const column = at - (before.lastIndexOf('\n') + 1) + 1;
    throw new ConfigMergeError(`it is not valid JSON: ${problem} (line ${line}, column ${column})`);
  }

  private skipTrivia(): void {
    const { text } = this;
    for (;;) {
      const char = text[this.pos];
      if (char === ' ' || char === '\t' || char === '\n' || char === '\r') {
        this.pos += 1;
      } else if (char === '/' && text[this.pos + 1] === '/' && this.comments) {
        const end = text.indexOf('\n', this.pos);
        this.pos = end === -1 ? text.length : end;
      } else if (char === '/' && text[this.pos + 1] === '*' && this.comments) {
        const end = text.indexOf('*/', this.pos + 2);
        if (end === -1) this.fail('unterminated comment');
        this.pos = end + 2;
      } else if (char === '/') {
        this.fail('comments are not allowed in this file');
      } else {
        return;
      }
    }
  }

  private match(pattern: RegExp): string | null {
    pattern.lastIndex = this.pos;
    const found = pattern.exec(this.text);
    if (!found) return null;
    this.pos += found[0].length;
    return found[0];
  }

  private parseValue(): JsonNode {
    this.skipTrivia();
    const start = this.pos;
    const char = this.text[start];
    if (char === '{') return this.parseObject();
    if (char === '[') return this.parseArray();
    if (char === '"') {
      const value = this.parseString();
      return { kind: 'scalar', start, end: this.pos, value };
    }
    const number = this.match(NUMBER);
    if (number !== null) return { kind: 'scalar', start, end: this.pos, value: Number(number) };
    const literal = this.match(LITERAL);
    if (literal !== null) {
      const value = literal === 'null' ? null : literal === 'true';
      return { kind: 'scalar', start, end: this.pos, value };
    }
    return this.fail(char === undefined ? 'unexpected end of file' : 'expected a value');
  }

  private parseString(): string {
    const raw = this.match(STRING);
    if (raw === null) this.fail('invalid string');
    return JSON.parse(raw) as string;
  }

  private parseObject(): ObjectNode {
    const start = this.pos;
    this.pos += 1;
    const members: Member[] = [];
    const value: ConfigMap = {};
    this.skipTrivia();
    if (this.text[this.pos] === '}') {
      this.pos += 1;
      return { kind: 'object', start, end: this.pos, members, value };
    }
    for (;;) {
      this.skipTrivia();
      if (this.text[this.pos] !== '"') this.fail('expected a property name in double quotes');
      const keyStart = this.pos;
      const key = this.parseString();
      this.skipTrivia();
      if (this.text[this.pos] !== ':') this.fail('expected ":"');
      this.pos += 1;
      const member: Member = { key, keyStart, value: this.parseValue(), commaAfter: false };
      members.push(member);
      // defineProperty: a "__proto__" key stays data, never a prototype.
      Object.defineProperty(value, key, {
        value: member.value.value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
      this.skipTrivia();
      if (this.text[this.pos] === ',') {
        this.pos += 1;
        member.commaAfter = true;
        this.skipTrivia();
        if (this.text[this.pos] !== '}') continue;
        if (!this.comments) this.fail('trailing comma');
      }
      if (this.text[this.pos] !== '}') this.fail('expected "," or "}"');
      this.pos += 1;
      return { kind: 'object', start, end: this.pos, members, value };
    }
  }

  private parseArray(): ArrayNode {
    const start = this.pos;
    this.pos += 1;
    const value: ConfigValue[] = [];
    this.skipTrivia();
    if (this.text[this.pos] === ']') {
      this.pos += 1;
      return { kind: 'array', start, end: this.pos, value };
    }
    for (;;) {
      value.push(this.parseValue().value);
      this.skipTrivia();
      if (this.text[this.pos] === ',') {
        this.pos += 1;
        this.skipTrivia();
        if (this.text[this.pos] !== ']') continue;
        if (!this.comments) this.fail('trailing comma');
      }
      if (this.text[this.pos] !== ']') this.fail('expected "," or "]"');
      this.pos += 1;
      return { kind: 'array', start, end: this.pos, value };
    }
  }
}

/** Parses JSON (or JSONC) text into plain values; throws ConfigMergeError with line and column. */
export function parseJsonText(text: string, options: JsonTextOptions): ConfigValue {
  return new JsonTextParser(text, options.comments).parseDocument().value;
}

/**
 * Sets `<container>.<name>` to `value` in the file's text, creating the container if needed.
 * `existing` null or blank: a new file holding only that.
 */
export function setJsonMember(
  existing: string | null,
  container: string,
  name: string,
  value: ConfigMap,
  options: JsonTextOptions,
): MergeResult {
  const text = existing ?? '';
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  if (text.replace(/^\uFEFF/, '').trim() === '') {
    const fresh = JSON.stringify({ [container]: { [name]: value } }, null, 2);
    return {
      text: `${text.startsWith('\uFEFF') ? '\uFEFF' : ''}${fresh.replaceAll('\n', eol)}${eol}`,
      replaced: null,
    };
  }

  const root = new JsonTextParser(text, options.comments).parseDocument();
  if (root.kind !== 'object') throw new ConfigMergeError('its top level is not a JSON object');
  const unit = indentUnit(text);
  const edit = new TextEdit(text, unit, eol);

  const holder = single(root, container, `"${container}"`);
  let replaced: string | null = null;
  if (!holder) {
    edit.insertMember(root, container, { [name]: value });
  } else if (holder.value.kind !== 'object') {
    throw new ConfigMergeError(`"${container}" is not a JSON object`);
  } else {
    const ours = single(holder.value, name, `"${container}"."${name}"`);
    if (ours) {
      replaced = text.slice(ours.value.start, ours.value.end);
      edit.replaceValue(ours, value);
    } else {
      edit.insertMember(holder.value, name, value);
    }
  }

  const result = edit.apply();
  const expected = structuredClone(root.value as ConfigMap);
  const expectedContainer = expected[container];
  if (
    typeof expectedContainer === 'object' &&
    expectedContainer !== null &&
    !Array.isArray(expectedContainer)
  ) {
    defineData(expectedContainer, name, value);
  } else {
    defineData(expected, container, { [name]: value });
  }
  let reread: ConfigValue | undefined;
  try {
    reread = parseJsonText(result, options);
  } catch {
    reread = undefined;
  }
  if (!sameValue(reread, expected)) {
    throw new ConfigMergeError('the edited file would not read back as intended (nothing written)');
  }
  return { text: result, replaced };
}

function single(object: ObjectNode, key: string, label: string): Member | null {
  const found = object.members.filter((member) => member.key === key);
  if (found.length > 1) throw new ConfigMergeError(`${label} appears more than once`);
  return found[0] ?? null;
}

class TextEdit {
  private readonly edits: { at: number; remove: number; insert: string }[] = [];

  constructor(
    private readonly text: string,
    private readonly unit: string,
    private readonly eol: string,
  ) {}

  replaceValue(member: Member, value: ConfigValue): void {
    const indent = this.memberIndent(member.keyStart);
    const { start, end } = member.value;
    this.edits.push({ at: start, remove: end - start, insert: this.format(value, indent) });
  }

  insertMember(object: ObjectNode, key: string, value: ConfigValue): void {
    const first = object.members[0];
    const indent =
      (first && this.startsLine(first.keyStart) ? this.lineIndent(first.keyStart) : null) ??
      this.lineIndent(object.start) + this.unit;
    const text = `${JSON.stringify(key)}: ${this.format(value, indent)}`;
    const last = object.members.at(-1);
    if (last && !last.commaAfter) this.edits.push({ at: last.value.end, remove: 0, insert: ',' });
    const close = object.end - 1;
    const lineStart = this.lineStart(close);
    if (/^[ \t]*$/.test(this.text.slice(lineStart, close))) {
      // `}` on its own line: our member goes on the line before it, after any comments.
      this.edits.push({ at: lineStart, remove: 0, insert: `${indent}${text}${this.eol}` });
    } else {
      const closeIndent = this.lineIndent(object.start);
      this.edits.push({
        at: close,
        remove: 0,
        insert: `${this.eol}${indent}${text}${this.eol}${closeIndent}`,
      });
    }
  }

  apply(): string {
    let result = this.text;
    // From the end, so offsets stay valid; at one offset, the edit made first ends up first.
    const ordered = this.edits.map((edit, order) => ({ ...edit, order }));
    ordered.sort((a, b) => b.at - a.at || b.order - a.order);
    for (const { at, remove, insert } of ordered) {
      result = result.slice(0, at) + insert + result.slice(at + remove);
    }
    return result;
  }

  private format(value: ConfigValue, indent: string): string {
    return JSON.stringify(value, null, this.unit).replaceAll('\n', `${this.eol}${indent}`);
  }

  private memberIndent(keyStart: number): string {
    return this.startsLine(keyStart)
      ? this.lineIndent(keyStart)
      : this.lineIndent(keyStart) + this.unit;
  }

  private lineStart(at: number): number {
    return this.text.lastIndexOf('\n', at - 1) + 1;
  }

  private lineIndent(at: number): string {
    return /^[ \t]*/.exec(this.text.slice(this.lineStart(at)))?.[0] ?? '';
  }

  private startsLine(at: number): boolean {
    return /^[ \t]*$/.test(this.text.slice(this.lineStart(at), at));
  }
}

/** The file's own indentation step (its first indented line), two spaces by default. */
function indentUnit(text: string): string {
  const found = /^([ \t]+)\S/m.exec(text.replace(/^\uFEFF/, ''));
  const unit = found?.[1];
  return unit && (/^\t+$/.test(unit) || unit.length <= 8) ? unit : '  ';
}

function defineData(target: ConfigMap, key: string, value: ConfigValue): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

export function sameValue(a: ConfigValue | undefined, b: ConfigValue | undefined): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((item, index) => sameValue(item, b[index]))
    );
  }
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length &&
    keys.every((key) => Object.hasOwn(b, key) && sameValue(a[key], b[key]))
  );
}
