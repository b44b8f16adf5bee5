/**
 * Sets one member of a JSON (or JSON-with-comments) configuration file by editing its text, not
 * by re-serialising it: everything else — other servers, unrelated keys, comments, key order,
 * indentation — survives byte for byte. The result is parsed again and compared with what was
 * intended before anyone writes it. Parsing and value replacement are jsonc-parser's (VS Code's
 * own settings editor); where a new member goes is decided here (see Layout).
 * (Over 250 lines: placing a new member — its indentation, commas and neighbouring comments — is
 * what jsonc-parser's own insert gets wrong for these files, so it stays here with its checks.)
 */
import {
  applyEdits,
  type Edit,
  type FormattingOptions,
  getNodeValue,
  modify,
  type Node,
  type ParseError,
  type ParseOptions,
  parseTree,
  printParseErrorCode,
  stripComments,
  visit,
} from 'jsonc-parser';
import type { ConfigMap, ConfigValue } from './clients';
import { ConfigMergeError, type MergeResult } from './merge-result';

export interface JsonTextOptions {
  /** Accept // and /* *\/ comments and trailing commas (VS Code's and Zed's settings). */
  comments: boolean;
}

/** Parses JSON (or JSONC) text into plain values; throws ConfigMergeError with line and column. */
export function parseJsonText(text: string, options: JsonTextOptions): ConfigValue {
  return getNodeValue(parseDocument(withoutBom(text), options)) as ConfigValue;
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

  // jsonc-parser does not skip a byte-order mark: parse, lay out and modify a copy where it is a
  // space (offsets unchanged), then apply the edits to the file's own text.
  const source = withoutBom(text);
  const root = parseDocument(source, options);
  if (root.type !== 'object') throw new ConfigMergeError('its top level is not a JSON object');
  const unit = indentUnit(text);
  const layout = new Layout(source, unit, eol);

  const holder = single(root, container, `"${container}"`);
  let replaced: string | null = null;
  let edits: Edit[];
  if (!holder) {
    edits = layout.insertMember(root, container, { [name]: value });
  } else if (holder.type !== 'object') {
    throw new ConfigMergeError(`"${container}" is not a JSON object`);
  } else {
    const ours = single(holder, name, `"${container}"."${name}"`);
    if (ours) {
      replaced = text.slice(ours.offset, ours.offset + ours.length);
      edits = modify(source, [container, name], value, {
        formattingOptions: formatting(unit, eol),
      });
    } else {
      edits = layout.insertMember(holder, name, value);
    }
  }
  const result = applyEdits(text, edits);

  const expected = getNodeValue(root) as ConfigMap;
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

function withoutBom(text: string): string {
  return text.startsWith('\uFEFF') ? ` ${text.slice(1)}` : text;
}

function parseOptions(options: JsonTextOptions): ParseOptions {
  return {
    disallowComments: !options.comments,
    allowTrailingComma: options.comments,
    allowEmptyContent: false,
  };
}

/** The syntax tree of a whole document, or ConfigMergeError naming the first problem. */
function parseDocument(text: string, options: JsonTextOptions): Node {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, parseOptions(options));
  const first = errors[0];
  if (first) throw syntaxError(text, first, options);
  // Only empty content has no tree, and allowEmptyContent: false reports it as an error above.
  if (!root) throw new ConfigMergeError('it is not valid JSON: unexpected end of file');
  return root;
}

/** What the grammar wanted at the point of a parse error, from the structure read before it. */
type Expected = 'name' | 'colon' | 'value' | 'object-end' | 'array-end' | 'end';

const EXPECTED: Record<Expected, string> = {
  name: 'expected a property name in double quotes',
  colon: 'expected ":"',
  value: 'expected a value',
  'object-end': 'expected "," or "}"',
  'array-end': 'expected "," or "]"',
  end: 'unexpected text after the end of the JSON value',
};

/** Problems that the error's code names by itself; the others are said from the context. */
const LEXICAL: Partial<Record<ReturnType<typeof printParseErrorCode>, string>> = {
  InvalidCommentToken: 'comments are not allowed in this file',
  UnexpectedEndOfComment: 'unterminated comment',
  UnexpectedEndOfString: 'invalid string',
  InvalidEscapeCharacter: 'invalid string',
  InvalidUnicode: 'invalid string',
  InvalidCharacter: 'invalid string',
  InvalidNumberFormat: 'invalid number',
  UnexpectedEndOfNumber: 'invalid number',
};

/**
 * The sentence for a parse error, with line and column. It never quotes the file's text: a
 * config file holds API keys.
 */
function syntaxError(text: string, error: ParseError, options: JsonTextOptions): ConfigMergeError {
  const { offset } = error;
  const context = contextAt(text, options);
  const problem =
    LEXICAL[printParseErrorCode(error.error)] ??
    (offset >= text.length
      ? 'unexpected end of file'
      : context.afterComma && (text[offset] === '}' || text[offset] === ']')
        ? 'trailing comma'
        : EXPECTED[context.expected]);
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - (before.lastIndexOf('\n') + 1) + 1;
  return new ConfigMergeError(`it is not valid JSON: ${problem} (line ${line}, column ${column})`);
}

/** Replays the structure up to the first error to tell what should have come there. */
function contextAt(
  text: string,
  options: JsonTextOptions,
): { expected: Expected; afterComma: boolean } {
  const open: ('object' | 'array')[] = [];
  let expected: Expected = 'value';
  let afterComma = false;
  let stopped = false;
  const step = (change: () => void) => () => {
    if (stopped) return;
    afterComma = false;
    change();
  };
  const afterValue = () => {
    const inside = open.at(-1);
    expected = inside === 'object' ? 'object-end' : inside === 'array' ? 'array-end' : 'end';
  };
  visit(
    text,
    {
      onObjectBegin: step(() => {
        open.push('object');
        expected = 'name';
      }),
      onArrayBegin: step(() => {
        open.push('array');
        expected = 'value';
      }),
      onObjectEnd: step(() => {
        open.pop();
        afterValue();
      }),
      onArrayEnd: step(() => {
        open.pop();
        afterValue();
      }),
      onObjectProperty: step(() => {
        expected = 'colon';
      }),
      onLiteralValue: step(afterValue),
      onSeparator: (separator) =>
        step(() => {
          expected = separator === ':' || open.at(-1) === 'array' ? 'value' : 'name';
          afterComma = separator === ',';
        })(),
      onError: () => {
        stopped = true;
      },
    },
    parseOptions(options),
  );
  return { expected, afterComma };
}

/** The one member `key` of an object (its value node), null if absent; refuses duplicates. */
function single(object: Node, key: string, label: string): Node | null {
  const found = (object.children ?? []).filter((member) => member.children?.[0]?.value === key);
  if (found.length > 1) throw new ConfigMergeError(`${label} appears more than once`);
  return found[0]?.children?.[1] ?? null;
}

function formatting(unit: string, eol: string): FormattingOptions {
  return unit.startsWith('\t')
    ? { insertSpaces: false, tabSize: 4, eol }
    : { insertSpaces: true, tabSize: unit.length, eol };
}

/**
 * Where a new member goes and how it is indented. jsonc-parser's own insertion re-formats the
 * lines around it and puts the member before a comment that ends the previous line; here the
 * existing lines stay as they are and the member goes last, after any comments.
 */
class Layout {
  constructor(
    private readonly text: string,
    private readonly unit: string,
    private readonly eol: string,
  ) {}

  insertMember(object: Node, key: string, value: ConfigValue): Edit[] {
    const members = object.children ?? [];
    const first = members[0];
    const indent =
      (first && this.startsLine(first.offset) ? this.lineIndent(first.offset) : null) ??
      this.lineIndent(object.offset) + this.unit;
    const member = `${JSON.stringify(key)}: ${this.format(value, indent)}`;
    const edits: Edit[] = [];
    const close = object.offset + object.length - 1;
    const last = members.at(-1);
    if (last && !this.commaAfter(last, close)) {
      edits.push({ offset: last.offset + last.length, length: 0, content: ',' });
    }
    const lineStart = this.lineStart(close);
    if (/^[ \t]*$/.test(this.text.slice(lineStart, close))) {
      // `}` on its own line: our member goes on the line before it, after any comments.
      edits.push({ offset: lineStart, length: 0, content: `${indent}${member}${this.eol}` });
    } else {
      // applyEdits keeps edits at the same offset in order: the comma above comes first.
      const closeIndent = this.lineIndent(object.offset);
      edits.push({
        offset: close,
        length: 0,
        content: `${this.eol}${indent}${member}${this.eol}${closeIndent}`,
      });
    }
    return edits;
  }

  /** Whether a comma (JSONC's trailing one) follows the member, past comments. */
  private commaAfter(member: Node, close: number): boolean {
    const between = this.text.slice(member.offset + member.length, close);
    return stripComments(between, ' ').trim().startsWith(',');
  }

  private format(value: ConfigValue, indent: string): string {
    return JSON.stringify(value, null, this.unit).replaceAll('\n', `${this.eol}${indent}`);
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
