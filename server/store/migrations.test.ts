/** Migrations bring an existing database forward with its rows: a schema-2 spend row survives migration 3 with nulls in the new columns. */
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, type Db } from './database.ts';
import { MIGRATIONS } from './migrations.ts';

let db: Db | undefined;
afterEach(() => db?.close());

describe('migration 3 (requested_model, error_message)', () => {
  it('adds the columns to a schema-2 database, old rows reading null', () => {
    db = new Database(':memory:');
    db.exec(MIGRATIONS[0]!);
    db.exec(MIGRATIONS[1]!);
    db.pragma('user_version = 2');
    db.prepare(
      `INSERT INTO spend_logs (request_id, endpoint, model_group, start_time, end_time, duration_ms, status, http_status, usage_source)
       VALUES ('old-row', 'chat', 'gpt-4o', 1, 2, 1, 'failure', 500, 'none')`,
    ).run();

    migrate(db);

    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(db.prepare("SELECT model_group, requested_model, error_message FROM spend_logs WHERE request_id = 'old-row'").get()).toEqual({
      model_group: 'gpt-4o',
      requested_model: null,
      error_message: null,
    });
  });
});
