import { describe, expect, it } from 'vitest';
import { openDatabase } from './database.ts';
import { GroupCommit } from './group-commit.ts';

function table() {
  const db = openDatabase(':memory:');
  db.exec('CREATE TABLE t (v TEXT PRIMARY KEY)');
  return { db, insert: db.prepare('INSERT INTO t (v) VALUES (?)') };
}

describe('GroupCommit', () => {
  it('commits the writes of one event-loop turn together and resolves each once committed', async () => {
    const { db, insert } = table();
    const writer = new GroupCommit(db);
    const done = ['a', 'b', 'c'].map((v) => writer.submit(() => insert.run(v)));
    expect(db.prepare('SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 0 }); // not yet: same turn
    await Promise.all(done);
    expect(db.prepare('SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 3 });
  });

  it('fails only the write that failed; the rest of its batch commits', async () => {
    const { db, insert } = table();
    const writer = new GroupCommit(db);
    const results = await Promise.allSettled([writer.submit(() => insert.run('x')), writer.submit(() => insert.run('x')), writer.submit(() => insert.run('y'))]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((db.prepare('SELECT v FROM t ORDER BY v').all() as { v: string }[]).map((r) => r.v)).toEqual(['x', 'y']);
  });

  it('flush() commits what is queued at once (on close)', () => {
    const { db, insert } = table();
    const writer = new GroupCommit(db);
    void writer.submit(() => insert.run('z'));
    writer.flush();
    expect(db.prepare('SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 1 });
  });
});
