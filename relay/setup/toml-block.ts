/**
 * Our one entry in a TOML configuration (Mistral Vibe's `[[mcp_servers]]`, Codex's
 * `[mcp_servers.hospiai]`), without a TOML library: a minimal serialisation (basic strings,
 * arrays, one-line inline tables) and a conservative line-based merge that replaces only our own
 * `[[table]]` element (the one with `name = "hospiai"`) or our own `[table.hospiai]` table with
 * its sub-tables, or appends one. Layouts it cannot edit safely are refused.
 */
import type { ConfigMap, ConfigValue } from './clients';
import { ConfigMergeError, type MergeResult } from './merge-result';

// ── serialisation ────────────────────────────────────────────────────────────

/** A TOML basic string: JSON's escapes are TOML's, except that DEL must be escaped too. */
function tomlString(text: string): string {
  return JSON.stringify(text).replaceAll('\u007f', '\\u007F');
}

function tomlKey(key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? key : tomlString(key);
}

function tomlValue(value: ConfigValue): string {
  if (typeof value === 'string') return tomlString(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('TOML: only finite numbers');
    return String(value);
  }
  if (typeof value === 'boolean') return String(value);
  if (value === null) throw new TypeError('TOML has no null');
  if (Array.isArray(value)) return `[${value.map(tomlValue).join(', ')}]`;
  const members = Object.entries(value).map(
    ([key, item]) => `${tomlKey(key)} = ${tomlValue(item)}`,
  );
  return members.length === 0 ? '{}' : `{ ${members.join(', ')} }`;
}

/** `[[table]]` followed by one `key = value` line per member. */
export function tomlArrayTableLines(table: string, map: ConfigMap): string[] {
  return [`[[${table}]]`, ...keyValueLines(map)];
}

/** `[table.name]` followed by one `key = value` line per member. */
export function tomlKeyedTableLines(table: string, name: string, map: ConfigMap): string[] {
  return [`[${table}.${tomlKey(name)}]`, ...keyValueLines(map)];
}

function keyValueLines(map: ConfigMap): string[] {
  return Object.entries(map).map(([key, value]) => `${tomlKey(key)} = ${tomlValue(value)}`);
}

// ── merge ────────────────────────────────────────────────────────────────────

export interface TomlMergeSpec {
  table: string;
  /** `array`: `[[table]]` elements, ours with `name = …`; `keyed`: ours is `[table.<name>]`. */
  layout?: 'array' | 'keyed';
  name: string;
  entry: ConfigMap;
}

const BLANK_OR_COMMENT = /^\s*(#.*)?$/;
const HEADER = /^\s*(\[\[?)\s*([^[\]]+?)\s*(\]\]?)\s*(#.*)?$/;

interface Header {
  line: number;
  array: boolean;
  /** Dotted name with quotes and spaces removed, for comparison. */
  name: string;
}

function normaliseName(raw: string): string {
  return raw
    .split('.')
    .map((part) => part.trim().replace(/^(["'])(.*)\1$/, '$2'))
    .join('.');
}

export function mergeTomlEntry(existing: string | null, spec: TomlMergeSpec): MergeResult {
  const text = existing ?? '';
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  const keyed = spec.layout === 'keyed';
  const ours = keyed
    ? tomlKeyedTableLines(spec.table, spec.name, spec.entry)
    : tomlArrayTableLines(spec.table, spec.entry);
  const headers = scanHeaders(lines, spec, keyed);
  const element = keyed ? keyedElement(lines, headers, spec) : arrayElement(lines, headers, spec);
  const finish = (result: string[], replaced: string | null): MergeResult => ({
    text: `${result.join(eol)}${eol}`,
    replaced,
  });
  if (!element) {
    const separator = lines.length > 0 && !BLANK_OR_COMMENT.test(lines.at(-1) ?? '') ? [''] : [];
    return finish([...lines, ...separator, ...ours], null);
  }
  let end = element.end;
  while (end > element.start + 1 && BLANK_OR_COMMENT.test(lines[end - 1] ?? '')) end -= 1;
  const replaced = lines.slice(element.start, end).join('\n');
  return finish([...lines.slice(0, element.start), ...ours, ...lines.slice(end)], replaced);
}

/** The table headers, skipping lines inside multi-line strings; refuses what it cannot edit. */
function scanHeaders(lines: string[], spec: TomlMergeSpec, keyed: boolean): Header[] {
  const headers: Header[] = [];
  let openString: '"""' | "'''" | null = null;
  for (const [index, line] of lines.entries()) {
    const wasInString = openString !== null;
    if (!wasInString && BLANK_OR_COMMENT.test(line)) continue;
    for (const delimiter of ['"""', "'''"] as const) {
      if (
        (openString === null || openString === delimiter) &&
        line.split(delimiter).length % 2 === 0
      ) {
        openString = openString === null ? delimiter : null;
      }
    }
    if (wasInString) continue;
    const found = HEADER.exec(line);
    if (!found) {
      // A root-level `mcp_servers = […]` or `mcp_servers.x = …` defines the table as a value.
      if (headers.length === 0 && new RegExp(`^\\s*["']?${spec.table}["']?\\s*[.=]`).test(line)) {
        throw new ConfigMergeError(
          keyed
            ? `"${spec.table}" is defined as a value, not as [${spec.table}.<name>] tables`
            : `"${spec.table}" is defined as a value, not as [[${spec.table}]] tables`,
        );
      }
      // Under [mcp_servers], `hospiai = {…}` or `hospiai.command = …` is our entry as a value.
      const last = headers.at(-1);
      if (
        keyed &&
        last?.name === spec.table &&
        new RegExp(`^\\s*["']?${escapeRegExp(spec.name)}["']?\\s*[.=]`).test(line)
      ) {
        throw new ConfigMergeError(`line ${index + 1} defines "${spec.name}" as a value`);
      }
      continue;
    }
    if ((found[1] === '[[') !== (found[3] === ']]')) {
      throw new ConfigMergeError(`line ${index + 1} has a layout this tool does not edit`);
    }
    const header = { line: index, array: found[1] === '[[', name: normaliseName(found[2] ?? '') };
    if (header.name === spec.table && header.array === keyed) {
      throw new ConfigMergeError(
        keyed
          ? `"${spec.table}" is [[${spec.table}]] tables, not [${spec.table}.<name>]`
          : `"${spec.table}" is a [table], not [[${spec.table}]] tables`,
      );
    }
    headers.push(header);
  }
  if (openString !== null) throw new ConfigMergeError('it has an unterminated multi-line string');
  return headers;
}

interface Span {
  start: number;
  end: number;
}

/** Each [[table]] element runs until the next header that is not one of its sub-tables. */
function arrayElement(lines: string[], headers: Header[], spec: TomlMergeSpec): Span | undefined {
  const elements = headers
    .filter((header) => header.array && header.name === spec.table)
    .map((header) => {
      const next = headers.find(
        (other) => other.line > header.line && !other.name.startsWith(`${spec.table}.`),
      );
      return { start: header.line, end: next?.line ?? lines.length };
    });
  const nameLine = new RegExp(`^\\s*name\\s*=\\s*(["'])${escapeRegExp(spec.name)}\\1\\s*(#.*)?$`);
  const mine = elements.filter(({ start, end }) =>
    lines.slice(start + 1, end).some((line) => nameLine.test(line)),
  );
  if (mine.length > 1)
    throw new ConfigMergeError(`"${spec.name}" appears more than once in [[${spec.table}]]`);
  return mine[0];
}

/** `[table.name]` and the sub-tables right after it (`[table.name.env]`…), which must be all. */
function keyedElement(lines: string[], headers: Header[], spec: TomlMergeSpec): Span | undefined {
  const own = `${spec.table}.${spec.name}`;
  const isOurs = (header: Header) => header.name === own || header.name.startsWith(`${own}.`);
  const first = headers.findIndex(isOurs);
  if (first === -1) return undefined;
  let after = first;
  while (after < headers.length && isOurs(headers[after] as Header)) after += 1;
  if (headers.slice(after).some(isOurs) || headers[first]?.name !== own) {
    throw new ConfigMergeError(`[${own}] is split over several places in the file`);
  }
  return { start: headers[first]?.line ?? 0, end: headers[after]?.line ?? lines.length };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
