import { appendFileSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SpendRow } from '../spend/spend-log.ts';
import { SpendJournal } from './spend-journal.ts';

const row = (requestId: string, costNanos = 10): SpendRow => ({ requestId, keyId: 'k1', costNanos }) as SpendRow; // the journal only carries rows; their fields are the importer's business

function journalFile(): string {
  return join(mkdtempSync(join(tmpdir(), 'gw-journal-')), 'spend.journal');
}

describe('SpendJournal', () => {
  it('imports appended rows in one batch after the batch delay; close empties the file', async () => {
    const file = journalFile();
    const imported: string[][] = [];
    const journal = new SpendJournal((rows) => imported.push(rows.map((r) => r.requestId)), { file, batchMs: 10 });
    journal.append(row('a'));
    journal.append(row('b'));
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(2); // durable before any import
    expect(imported).toEqual([]);
    await expect.poll(() => imported).toEqual([['a', 'b']]);
    journal.close();
    expect(statSync(file).size).toBe(0);
  });

  it('replays what a killed process journaled but never imported, once', () => {
    const file = journalFile();
    const crashed = new SpendJournal(() => undefined, { file, batchMs: 60_000 });
    crashed.append(row('x'));
    crashed.append(row('y'));
    // no flush, no close: the process died here; a half-written last line is ignored
    appendFileSync(file, '{"requestId":"half');
    const replayed: string[] = [];
    const next = new SpendJournal((rows) => replayed.push(...rows.map((r) => r.requestId)), { file });
    expect(replayed).toEqual(['x', 'y']);
    expect(statSync(file).size).toBe(0);
    next.close();
  });

  it('keeps rows whose import failed, and imports them with the next flush', () => {
    const file = journalFile();
    let fail = true;
    const imported: string[] = [];
    const errors: Error[] = [];
    const journal = new SpendJournal(
      (rows) => {
        if (fail) throw new Error('disk full');
        imported.push(...rows.map((r) => r.requestId));
      },
      { file, onImportError: (err) => errors.push(err) },
    );
    journal.append(row('p'));
    journal.flush();
    expect(errors.map((e) => e.message)).toEqual(['disk full']);
    expect(statSync(file).size).toBeGreaterThan(0);
    fail = false;
    journal.append(row('q'));
    journal.flush();
    expect(imported).toEqual(['p', 'q']);
    journal.close();
  });

  it('without a file, imports each row at once', () => {
    const imported: string[] = [];
    const journal = new SpendJournal((rows) => imported.push(...rows.map((r) => r.requestId)));
    journal.append(row('now'));
    expect(imported).toEqual(['now']);
  });
});
