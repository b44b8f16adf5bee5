/**
 * Our one entry in a YAML configuration (Goose, Continue), without a YAML library: a minimal,
 * always-quoted serialisation of the entry, and a conservative line-based merge. The merge only
 * touches the block of our own entry (or appends one); every other line is kept as it is. Any
 * layout it does not fully understand — flow style, anchors, several documents, tabs — is
 * refused, and the caller prints the snippet for the user to paste.
 * (Over 250 lines: mostly the refusals of every YAML layout it does not understand.)
 */
import type { ConfigMap, ConfigValue } from './clients';
import { ConfigMergeError, type MergeResult } from './merge-result';

// ── serialisation ────────────────────────────────────────────────────────────

/** A double-quoted YAML scalar: JSON's escapes are valid YAML; line separators are escaped too. */
function yamlString(text: string): string {
  return JSON.stringify(text)
    .replaceAll('\u0085', '\\N')
    .replaceAll('\u2028', '\\L')
    .replaceAll('\u2029', '\\P');
}

function yamlScalar(value: ConfigValue): string {
  if (typeof value === 'string') return yamlString(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('YAML: only finite numbers');
    return String(value);
  }
  if (typeof value === 'boolean') return String(value);
  if (value === null) return 'null';
  throw new TypeError('YAML: not a scalar');
}

function yamlKey(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? key : yamlString(key);
}

/** Block-mapping lines for `map`, every line indented by `indent` spaces. */
export function yamlMappingLines(map: ConfigMap, indent: number): string[] {
  const pad = ' '.repeat(indent);
  const lines: string[] = [];
  for (const [key, value] of Object.entries(map)) {
    const head = `${pad}${yamlKey(key)}:`;
    if (Array.isArray(value)) {
      if (value.length === 0) lines.push(`${head} []`);
      else lines.push(head, ...value.map((item) => `${pad}  - ${yamlScalar(item)}`));
    } else if (typeof value === 'object' && value !== null) {
      if (Object.keys(value).length === 0) lines.push(`${head} {}`);
      else lines.push(head, ...yamlMappingLines(value, indent + 2));
    } else {
      lines.push(`${head} ${yamlScalar(value)}`);
    }
  }
  return lines;
}

/** A sequence item `- key: …` whose mapping is `map`, the dash at `dashIndent`. */
export function yamlSequenceItemLines(map: ConfigMap, dashIndent: number): string[] {
  const lines = yamlMappingLines(map, dashIndent + 2);
  lines[0] = `${' '.repeat(dashIndent)}- ${lines[0]?.trimStart() ?? '{}'}`;
  return lines;
}

// ── merge ────────────────────────────────────────────────────────────────────

export interface YamlMergeSpec {
  /** Top-level key holding the servers (`extensions`, `mcpServers`). */
  container: string;
  /** `map`: `container.<name>: {…}`; `list`: an item of `container` with `name: <name>`. */
  layout: 'map' | 'list';
  name: string;
  entry: ConfigMap;
  /** Lines a brand-new file starts with. */
  newFileHeader: readonly string[];
}

const BLANK_OR_COMMENT = /^\s*(#.*)?$/;
/** `key:` then nothing, a value, or a comment. Keys: plain, "double" or 'single' quoted. */
const KEY_LINE =
  /^(?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)'|([^\s#'"{}[\],&*!|>%@`?:-][^#:]*?|-[^\s#:][^#:]*?))[ \t]*:(?:[ \t]+(.*))?$/;

interface KeyLine {
  key: string;
  /** The value after the colon, comment removed, trimmed. */
  rest: string;
}

function readKey(line: string, indent: number): KeyLine | null {
  const found = KEY_LINE.exec(line.slice(indent));
  if (!found) return null;
  const key =
    found[1] !== undefined
      ? unescapeDouble(found[1])
      : (found[2]?.replaceAll("''", "'") ?? found[3] ?? '');
  return { key: key.trimEnd(), rest: stripComment(found[4] ?? '') };
}

function unescapeDouble(inner: string): string {
  try {
    return JSON.parse(`"${inner}"`) as string;
  } catch {
    return inner;
  }
}

function stripComment(value: string): string {
  const trimmed = value.trim();
  if (trimmed.startsWith('#')) return '';
  // A comment starts at " #" outside quotes; our keys' values are simple, quotes are rare.
  if (!/^["']/.test(trimmed)) return trimmed.replace(/\s+#.*$/, '');
  const quote = trimmed[0];
  const close = trimmed.indexOf(quote ?? '"', 1);
  return close === -1 ? trimmed : trimmed.slice(0, close + 1);
}

function unquote(value: string): string {
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"'))
    return unescapeDouble(value.slice(1, -1));
  if (value.length >= 2 && value.startsWith("'") && value.endsWith("'"))
    return value.slice(1, -1).replaceAll("''", "'");
  return value;
}

function indentOf(line: string, lineNumber: number): number {
  const whitespace = /^[ \t]*/.exec(line)?.[0] ?? '';
  if (whitespace.includes('\t')) {
    throw new ConfigMergeError(`line ${lineNumber} is indented with a tab`);
  }
  return whitespace.length;
}

const isItemStart = (line: string, indent: number) => /^-(\s|$)/.test(line.slice(indent));

export function mergeYamlEntry(existing: string | null, spec: YamlMergeSpec): MergeResult {
  const text = existing ?? '';
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();

  const ourLines = (indent: number) =>
    spec.layout === 'map'
      ? [`${' '.repeat(indent)}${yamlKey(spec.name)}:`, ...yamlMappingLines(spec.entry, indent + 2)]
      : yamlSequenceItemLines(spec.entry, indent);
  const finish = (result: string[], replaced: string | null): MergeResult => ({
    text: `${result.join(eol)}${eol}`,
    replaced,
  });

  if (lines.every((line) => BLANK_OR_COMMENT.test(line))) {
    return finish([...lines, ...spec.newFileHeader, `${spec.container}:`, ...ourLines(2)], null);
  }

  // The top-level keys, and where the container's block is.
  let seenContent = false;
  const containerLines: number[] = [];
  const topLevel: number[] = [];
  for (const [index, line] of lines.entries()) {
    if (BLANK_OR_COMMENT.test(line)) continue;
    const indent = indentOf(line, index + 1);
    if (indent > 0) continue;
    if (/^(---|\.\.\.)(\s|$)/.test(line)) {
      if (seenContent) throw new ConfigMergeError('it holds several YAML documents');
      continue;
    }
    if (!seenContent && /^[-[{%]/.test(line)) {
      throw new ConfigMergeError('its top level is not a mapping of keys');
    }
    seenContent = true;
    if (isItemStart(line, 0)) continue; // a list written without indentation, under the key above
    const key = readKey(line, 0);
    if (!key) throw new ConfigMergeError(`line ${index + 1} has a layout this tool does not edit`);
    topLevel.push(index);
    if (key.key === spec.container) containerLines.push(index);
  }
  if (containerLines.length > 1)
    throw new ConfigMergeError(`"${spec.container}" appears more than once`);

  const keyIndex = containerLines[0];
  if (keyIndex === undefined) {
    return finish([...lines, `${spec.container}:`, ...ourLines(2)], null);
  }

  const keyLine = lines[keyIndex] ?? '';
  const rest = readKey(keyLine, 0)?.rest ?? '';
  const blockEnd = topLevel.find((index) => index > keyIndex) ?? lines.length;
  const content: number[] = [];
  for (let index = keyIndex + 1; index < blockEnd; index++) {
    if (!BLANK_OR_COMMENT.test(lines[index] ?? '')) content.push(index);
  }
  const insertAt = (content.at(-1) ?? keyIndex) + 1;
  const splice = (from: number, to: number, insert: string[]) => [
    ...lines.slice(0, from),
    ...insert,
    ...lines.slice(to),
  ];

  if (rest !== '') {
    // `extensions: {}` / `mcpServers: []` / `~`: empty, so it can become a block.
    if (!['{}', '[]', '~', 'null'].includes(rest) || content.length > 0) {
      throw new ConfigMergeError(`"${spec.container}" is written inline (flow style)`);
    }
    const key = keyLine.slice(0, keyLine.indexOf(':') + 1);
    return finish(splice(keyIndex, keyIndex + 1, [key, ...ourLines(2)]), null);
  }
  if (content.length === 0) return finish(splice(insertAt, insertAt, ourLines(2)), null);

  const firstLine = lines[content[0] ?? 0] ?? '';
  const childIndent = indentOf(firstLine, (content[0] ?? 0) + 1);
  const isList = isItemStart(firstLine, childIndent);
  if (spec.layout === 'map' && isList)
    throw new ConfigMergeError(`"${spec.container}" is a list, not a mapping`);
  if (spec.layout === 'list' && !isList)
    throw new ConfigMergeError(`"${spec.container}" is a mapping, not a list`);
  if (spec.layout === 'map' && childIndent === 0) {
    throw new ConfigMergeError(`"${spec.container}" has a layout this tool does not edit`);
  }

  // The children: one line each at childIndent, the rest of each child indented deeper.
  const children: number[] = [];
  for (const index of content) {
    const line = lines[index] ?? '';
    const indent = indentOf(line, index + 1);
    if (indent > childIndent) continue;
    const startsChild =
      indent === childIndent &&
      (isList ? isItemStart(line, indent) : readKey(line, indent) !== null);
    if (!startsChild)
      throw new ConfigMergeError(`line ${index + 1} has a layout this tool does not edit`);
    children.push(index);
  }

  const ours = children.filter((start, position) => {
    const end = children[position + 1] ?? blockEnd;
    return isList
      ? itemHasName(lines, start, end, childIndent, spec.name)
      : readKey(lines[start] ?? '', childIndent)?.key === spec.name;
  });
  if (ours.length > 1)
    throw new ConfigMergeError(`"${spec.name}" appears more than once in "${spec.container}"`);
  const start = ours[0];
  if (start === undefined) return finish(splice(insertAt, insertAt, ourLines(childIndent)), null);

  const next = children[children.indexOf(start) + 1] ?? blockEnd;
  let end = next;
  while (end > start + 1 && BLANK_OR_COMMENT.test(lines[end - 1] ?? '')) end -= 1;
  const replaced = lines.slice(start, end).join('\n');
  return finish(splice(start, end, ourLines(childIndent)), replaced);
}

/** Whether the list item on lines [start, end) has `name: <name>` among its own keys. */
function itemHasName(
  lines: string[],
  start: number,
  end: number,
  dashIndent: number,
  name: string,
): boolean {
  const first = lines[start] ?? '';
  const afterDash = /^-\s*/.exec(first.slice(dashIndent))?.[0].length ?? 1;
  const keyIndent = dashIndent + afterDash;
  for (let index = start; index < end; index++) {
    const line = lines[index] ?? '';
    if (index > start && (BLANK_OR_COMMENT.test(line) || indentOf(line, index + 1) !== keyIndent))
      continue;
    const key = readKey(line, keyIndent);
    if (key?.key === 'name' && unquote(key.rest) === name) return true;
  }
  return false;
}
