/**
 * Our one entry in a TOML configuration (Mistral Vibe's `[[mcp_servers]]`), without a TOML
 * library: a minimal serialisation (basic strings, arrays, one-line inline tables) and a
 * conservative line-based merge that replaces only our own `[[table]]` element (the one with
 * `name = "hospiai"`) or appends one. Layouts it cannot edit safely are refused.
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
  return [
    `[[${table}]]`,
    ...Object.entries(map).map(([key, value]) => `${tomlKey(key)} = ${tomlValue(value)}`),
  ];
}

// ── merge ────────────────────────────────────────────────────────────────────

export interface TomlMergeSpec {
  table: string;
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
  const ours = tomlArrayTableLines(spec.table, spec.entry);
  const finish = (result: string[], replaced: string | null): MergeResult => ({
    text: `${result.join(eol)}${eol}`,
    replaced,
  });

  // Headers, skipping lines inside multi-line strings.
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
      // A root-level `mcp_servers = […]` or `mcp_servers.x = …` makes `[[mcp_servers]]` invalid.
      if (headers.length === 0 && new RegExp(`^\\s*["']?${spec.table}["']?\\s*[.=]`).test(line)) {
        throw new ConfigMergeError(
          `"${spec.table}" is defined as a value, not as [[${spec.table}]] tables`,
        );
      }
      continue;
    }
    if ((found[1] === '[[') !== (found[3] === ']]')) {
      throw new ConfigMergeError(`line ${index + 1} has a layout this tool does not edit`);
    }
    const header = { line: index, array: found[1] === '[[', name: normaliseName(found[2] ?? '') };
    if (header.name === spec.table && !header.array) {
      throw new ConfigMergeError(`"${spec.table}" is a [table], not [[${spec.table}]] tables`);
    }
    headers.push(header);
  }
  if (openString !== null) throw new ConfigMergeError('it has an unterminated multi-line string');

  // Each [[table]] element runs until the next header that is not one of its sub-tables.
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

  const element = mine[0];
  if (!element) {
    const separator = lines.length > 0 && !BLANK_OR_COMMENT.test(lines.at(-1) ?? '') ? [''] : [];
    return finish([...lines, ...separator, ...ours], null);
  }
  let end = element.end;
  while (end > element.start + 1 && BLANK_OR_COMMENT.test(lines[end - 1] ?? '')) end -= 1;
  const replaced = lines.slice(element.start, end).join('\n');
  return finish([...lines.slice(0, element.start), ...ours, ...lines.slice(end)], replaced);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
