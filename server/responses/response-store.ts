/**
 * Stored Responses API answers (the `responses` table, migration 2): what `previous_response_id`,
 * GET /v1/responses/{id}, its input_items and DELETE read. Each row holds only the input items its own request
 * added and its own Response; a conversation is the chain of rows linked by previous_response_id.
 *
 * Ownership: a response belongs to the key that created it. A virtual key sees only its own, and another key's
 * response is "not found" to it (as OpenAI answers an unknown id, so ids leak nothing); the master key, and
 * everyone on a gateway without a master key, sees every response.
 */
import type { Db } from '../store/database.ts';

/** Who is reading: every response, or one key's (null: the rows made without a virtual key). */
export type ResponseReader = { kind: 'all' } | { kind: 'key'; keyId: string };

export interface StoredResponse {
  id: string;
  keyId: string | null;
  previousId: string | null;
  /** The model name the client asked for. */
  model: string;
  /** ms epoch. */
  createdAt: number;
  inputItems: Record<string, unknown>[];
  response: Record<string, unknown>;
}

/** One turn of a conversation: what its request added, and what it answered. */
export interface Turn {
  inputItems: Record<string, unknown>[];
  output: Record<string, unknown>[];
}

export interface ItemPage {
  data: Record<string, unknown>[];
  firstId: string | null;
  lastId: string | null;
  hasMore: boolean;
}

export interface ItemQuery {
  /** An item id: list the items after it (in `order`). */
  after?: string | undefined;
  limit: number;
  order: 'asc' | 'desc';
}

interface Row {
  id: string;
  key_id: string | null;
  previous_response_id: string | null;
  model: string;
  created_at: number;
  input_items: string;
  response: string;
}

/** A chain longer than this is cut (oldest turns first): a guard against a cycle, not a limit anyone meets. */
const MAX_CHAIN = 10_000;
/** How many of the newest responses an `item_reference` is looked up in. */
const ITEM_SCAN_ROWS = 5_000;

export class ResponseStore {
  private readonly insert;
  private readonly byId;
  private readonly remove;
  private readonly chainOf;
  private readonly itemRows;
  private readonly pruneOld;

  constructor(db: Db) {
    this.pruneOld = db.prepare<[number, number]>('DELETE FROM responses WHERE rowid IN (SELECT rowid FROM responses WHERE created_at < ? LIMIT ?)');
    this.insert = db.prepare(
      `INSERT OR REPLACE INTO responses (id, key_id, previous_response_id, model, created_at, input_items, response)
       VALUES (@id, @keyId, @previousId, @model, @createdAt, @inputItems, @response)`,
    );
    this.byId = db.prepare<[string], Row>('SELECT * FROM responses WHERE id = ?');
    this.remove = db.prepare<[string]>('DELETE FROM responses WHERE id = ?');
    this.chainOf = db.prepare<[string, number], Row>(
      `WITH RECURSIVE chain(id, depth) AS (
         SELECT id, 0 FROM responses WHERE id = ?
         UNION ALL
         SELECT r.previous_response_id, c.depth + 1 FROM chain c JOIN responses r ON r.id = c.id
         WHERE r.previous_response_id IS NOT NULL AND c.depth < ?
       )
       SELECT r.* FROM chain c JOIN responses r ON r.id = c.id ORDER BY c.depth DESC`,
    );
    // Items are not indexed by id: a reference is rare (the AI SDK's, to an earlier answer), so a scan of the
    // newest rows is enough.
    this.itemRows = db.prepare<[{ ids: string; rows: number }], { key_id: string | null; item: string }>(
      `SELECT r.key_id, j.value AS item FROM (SELECT * FROM responses ORDER BY created_at DESC LIMIT @rows) r,
         json_each(r.input_items) j WHERE j.value ->> '$.id' IN (SELECT value FROM json_each(@ids))
       UNION ALL
       SELECT r.key_id, j.value AS item FROM (SELECT * FROM responses ORDER BY created_at DESC LIMIT @rows) r,
         json_each(r.response, '$.output') j WHERE j.value ->> '$.id' IN (SELECT value FROM json_each(@ids))`,
    );
  }

  /** Deletes at most `limit` responses created before `cutoffMs` (retention; spend/retention.ts). */
  pruneBatch(cutoffMs: number, limit: number): number {
    return this.pruneOld.run(cutoffMs, limit).changes;
  }

  save(entry: Omit<StoredResponse, 'createdAt'> & { createdAt?: number }): void {
    this.insert.run({
      id: entry.id,
      keyId: entry.keyId,
      previousId: entry.previousId,
      model: entry.model,
      createdAt: entry.createdAt ?? Date.now(),
      inputItems: JSON.stringify(entry.inputItems),
      response: JSON.stringify(entry.response),
    });
  }

  get(id: string, reader: ResponseReader): StoredResponse | undefined {
    const row = this.byId.get(id);
    return row && visible(row, reader) ? parsed(row) : undefined;
  }

  /** False when there was no such response for this reader. */
  delete(id: string, reader: ResponseReader): boolean {
    if (!this.get(id, reader)) return false;
    return this.remove.run(id).changes > 0;
  }

  /**
   * The conversation that ends with response `id`, oldest turn first; undefined when the reader cannot see `id`.
   * A deleted (or foreign) ancestor ends the chain there: the turns after it are kept.
   */
  chain(id: string, reader: ResponseReader): Turn[] | undefined {
    const rows = this.chainOf.all(id, MAX_CHAIN);
    const last = rows.at(-1);
    if (!last || last.id !== id || !visible(last, reader)) return undefined;
    let start = rows.length - 1;
    while (start > 0 && visible(rows[start - 1]!, reader)) start--;
    return rows.slice(start).map((row) => {
      const stored = parsed(row);
      const output = Array.isArray(stored.response.output) ? (stored.response.output as Record<string, unknown>[]) : [];
      return { inputItems: stored.inputItems, output };
    });
  }

  /** Stored items (input or output of any response the reader sees) by id, for `item_reference`s; unknown ids are left out. */
  itemsById(ids: readonly string[], reader: ResponseReader): Map<string, Record<string, unknown>> {
    const found = new Map<string, Record<string, unknown>>();
    if (ids.length === 0) return found;
    for (const row of this.itemRows.all({ ids: JSON.stringify(ids), rows: ITEM_SCAN_ROWS })) {
      if (reader.kind === 'key' && row.key_id !== reader.keyId) continue;
      const item = JSON.parse(row.item) as Record<string, unknown>;
      if (typeof item.id === 'string' && !found.has(item.id)) found.set(item.id, item);
    }
    return found;
  }

  /** A page of the input items of response `id` (its own request's); undefined when the reader cannot see `id`. */
  inputItems(id: string, reader: ResponseReader, query: ItemQuery): ItemPage | undefined {
    const stored = this.get(id, reader);
    if (!stored) return undefined;
    const ordered = query.order === 'asc' ? stored.inputItems : [...stored.inputItems].reverse();
    const from = query.after === undefined ? 0 : ordered.findIndex((item) => item.id === query.after) + 1;
    // An unknown `after` lists nothing, as a cursor past the end would.
    const rest = query.after !== undefined && from === 0 ? [] : ordered.slice(from);
    const data = rest.slice(0, query.limit);
    const idOf = (item: Record<string, unknown> | undefined) => (typeof item?.id === 'string' ? item.id : null);
    return { data, firstId: idOf(data[0]), lastId: idOf(data.at(-1)), hasMore: rest.length > data.length };
  }
}

function visible(row: Row, reader: ResponseReader): boolean {
  return reader.kind === 'all' || row.key_id === reader.keyId;
}

function parsed(row: Row): StoredResponse {
  return {
    id: row.id,
    keyId: row.key_id,
    previousId: row.previous_response_id,
    model: row.model,
    createdAt: row.created_at,
    inputItems: JSON.parse(row.input_items) as Record<string, unknown>[],
    response: JSON.parse(row.response) as Record<string, unknown>,
  };
}
