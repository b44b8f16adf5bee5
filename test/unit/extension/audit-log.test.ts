import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { auditCsv, auditJson, exportAudit } from '../../../extension/audit/audit-export';
import {
  AUDIT_LOG_SIZE,
  auditLog,
  mergeAuditEntries,
  recordAuditEntries,
} from '../../../extension/audit/audit-log';
import { AuditEntry } from '../../../relay/protocol/protocol';

const entry = (second: number, overrides: Partial<AuditEntry> = {}): AuditEntry => ({
  at: new Date(Date.UTC(2025, 2, 1, 10, 0, second)).toISOString(),
  client: 'Claude Desktop',
  tool: 'get_appointments',
  scopes: ['read:data'],
  resourceIds: [],
  outcome: 'ok',
  durationMs: 12,
  ...overrides,
});
const seconds = (entries: AuditEntry[]) => entries.map((e) => e.at.slice(17, 19));

describe('latest tool calls across relays', () => {
  beforeEach(() => fakeBrowser.reset());

  it('keeps them newest first without duplicates when a relay resends', () => {
    const merged = mergeAuditEntries([entry(1), entry(2)], [entry(2), entry(3)]);
    expect(seconds(merged)).toEqual(['03', '02', '01']);
  });

  it('lists once the home’s latest calls that every relay sends after ready', () => {
    const home = [entry(5), entry(4, { client: 'Cursor', tool: 'find_doctors' }), entry(3)];
    const fromClaude = mergeAuditEntries([], home);
    const fromBoth = mergeAuditEntries(fromClaude, home);
    expect(fromBoth).toEqual(home);
  });

  it('keeps calls that differ only by client, outcome or duration', () => {
    const merged = mergeAuditEntries(
      [entry(1)],
      [
        entry(1, { client: 'Cursor' }),
        entry(1, { outcome: 'NOT_CONFIRMED' }),
        entry(1, { durationMs: 13 }),
        entry(1, { client: null }),
      ],
    );
    expect(merged).toHaveLength(5);
  });

  it('keeps only the latest fifty', () => {
    const many = Array.from({ length: 60 }, (_, i) =>
      entry(i % 60, { tool: `tool_${i}`, at: new Date(Date.UTC(2025, 2, 1, 10, i)).toISOString() }),
    );
    const merged = mergeAuditEntries([], many);
    expect(merged).toHaveLength(AUDIT_LOG_SIZE);
    expect(merged[0]?.tool).toBe('tool_59');
    expect(merged.at(-1)?.tool).toBe('tool_10');
  });

  it('loses no call when frames from several relays arrive together', async () => {
    await Promise.all([
      recordAuditEntries([entry(1)]),
      recordAuditEntries([entry(2, { client: 'Cursor' })]),
      recordAuditEntries([entry(3, { client: 'Zed' }), entry(1)]),
    ]);
    expect(seconds(await auditLog.get())).toEqual(['03', '02', '01']);
  });
});

describe('audit export', () => {
  const now = new Date('2025-03-01T10:04:05.678Z');
  const entries = [
    entry(2, {
      tool: 'book_appointment',
      scopes: ['book:appointments', 'read:data'],
      resourceIds: ['apt_9', 'doc_1'],
      durationMs: 240.5,
    }),
    entry(1),
  ];

  it('names the file by date and format, safely for every OS', () => {
    expect(exportAudit(entries, 'json', now).fileName).toBe(
      'hospiai-ai-requests-2025-03-01T10-04-05Z.json',
    );
    expect(exportAudit(entries, 'csv', now)).toMatchObject({
      fileName: 'hospiai-ai-requests-2025-03-01T10-04-05Z.csv',
      mimeType: 'text/csv',
    });
  });

  it('exports every entry as JSON the protocol schema accepts, in the order shown', () => {
    const parsed = JSON.parse(auditJson(entries, now)) as { exportedAt: string; entries: unknown };
    expect(parsed.exportedAt).toBe(now.toISOString());
    expect(AuditEntry.array().parse(parsed.entries)).toEqual(entries);
  });

  it('exports CSV with a header and one line per call, every cell quoted', () => {
    expect(auditCsv(entries)).toBe(
      [
        '"at","client","tool","scopes","resourceIds","outcome","durationMs"',
        '"2025-03-01T10:00:02.000Z","Claude Desktop","book_appointment","book:appointments read:data","apt_9 doc_1","ok","240.5"',
        '"2025-03-01T10:00:01.000Z","Claude Desktop","get_appointments","read:data","","ok","12"',
        '',
      ].join('\r\n'),
    );
  });

  it('quotes CSV fields with commas or quotes, and never lets a client name be a formula', () => {
    const csv = auditCsv([
      entry(1, { client: 'Acme, "Pro"' }),
      entry(2, { client: '=HYPERLINK("http://evil")' }),
    ]);
    const [, quoted, formula] = csv.split('\r\n');
    expect(quoted).toContain(',"Acme, ""Pro""",');
    expect(formula).toContain(',"\'=HYPERLINK(""http://evil"")",');
  });

  it('leaves no live formula for a spreadsheet that splits cells on “;” or “,” (French Excel)', () => {
    const hostile = [
      'Claude;=cmd|"/c calc"!A1',
      'x;@SUM(1+1)',
      'x,+1+1',
      'x; -2+3',
      'x;"=1+1',
      'x|=1',
      'x\t=1',
      'x\n=1',
      'x;\uff1d1+1',
    ];
    const csv = auditCsv(hostile.map((client, i) => entry(i + 1, { client })));
    for (const line of csv.split('\r\n').slice(1, -1)) {
      // Whatever the separator, every piece a spreadsheet could make a cell of starts inert.
      for (const separator of [',', ';', '|', '\t']) {
        for (const cell of line.split(separator)) {
          expect(cell.replace(/^[\s"]+/, ''), `${line} split on ${separator}`).not.toMatch(
            /^[=+\-@\uff1d\uff0b\uff0d\uff20]/,
          );
        }
      }
      expect(line).not.toMatch(/[\r\n]/);
    }
  });

  it('exports an empty log as a header only', () => {
    expect(auditCsv([])).toBe(
      '"at","client","tool","scopes","resourceIds","outcome","durationMs"\r\n',
    );
  });
});
