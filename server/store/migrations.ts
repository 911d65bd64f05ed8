/**
 * The SQLite schema, as an append-only list of migrations: entry N brings a database from
 * `PRAGMA user_version = N` to N+1. Never edit a released entry; add a new one.
 *
 * Money is stored as INTEGER nano-dollars (1e-9 USD): sums stay exact however many calls add up,
 * which REAL dollars would not.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE keys (
    id                    TEXT PRIMARY KEY,          -- stable across rotation
    key_hash              TEXT NOT NULL UNIQUE,      -- sha256 hex of the raw key; the raw key is never stored
    key_name              TEXT NOT NULL,             -- masked for display: sk-…abcd
    key_alias             TEXT,
    models                TEXT NOT NULL DEFAULT '[]',   -- JSON array; empty = every model
    aliases               TEXT NOT NULL DEFAULT '{}',   -- JSON object: requested name → model group
    metadata              TEXT NOT NULL DEFAULT '{}',   -- JSON object
    user_id               TEXT,
    team_id               TEXT,
    max_budget_nanos      INTEGER,                   -- NULL = no budget
    budget_duration       TEXT,                      -- "30s" | "30m" | "30h" | "30d"; NULL = never resets
    budget_reset_at       INTEGER,                   -- ms epoch of the next reset
    spend_nanos           INTEGER NOT NULL DEFAULT 0,   -- spend in the current budget period
    total_spend_nanos     INTEGER NOT NULL DEFAULT 0,   -- spend over the key's life
    rpm_limit             INTEGER,
    tpm_limit             INTEGER,
    max_parallel_requests INTEGER,
    expires_at            INTEGER,                   -- ms epoch; NULL = no expiry
    blocked               INTEGER NOT NULL DEFAULT 0,
    created_at            INTEGER NOT NULL,
    updated_at            INTEGER NOT NULL,
    last_used_at          INTEGER
  );
  CREATE INDEX keys_alias ON keys(key_alias);

  CREATE TABLE spend_logs (
    id                    INTEGER PRIMARY KEY,       -- rowid: rows append at the end of the table
    request_id            TEXT NOT NULL,
    key_id                TEXT,                      -- keys.id (stable across rotation); NULL for master/no key
    key_hash              TEXT,
    key_alias             TEXT,
    endpoint              TEXT NOT NULL,             -- chat | completions | embeddings | messages
    model_group           TEXT,                      -- the model_name that served (see migration 3)
    deployment_id         TEXT,
    provider              TEXT,
    api_base              TEXT,
    model                 TEXT,                      -- the upstream model
    prompt_tokens         INTEGER NOT NULL DEFAULT 0,
    completion_tokens     INTEGER NOT NULL DEFAULT 0,
    cached_tokens         INTEGER NOT NULL DEFAULT 0,
    cache_creation_tokens INTEGER NOT NULL DEFAULT 0,
    total_tokens          INTEGER NOT NULL DEFAULT 0,
    cost_nanos            INTEGER NOT NULL DEFAULT 0,
    start_time            INTEGER NOT NULL,          -- ms epoch
    end_time              INTEGER NOT NULL,
    duration_ms           REAL NOT NULL,
    ttft_ms               REAL,                      -- time to first token (streams)
    stream                INTEGER NOT NULL DEFAULT 0,
    status                TEXT NOT NULL,             -- success | failure
    http_status           INTEGER NOT NULL,
    error_type            TEXT,
    end_user              TEXT,                      -- the request's user field
    usage_source          TEXT NOT NULL,             -- provider | estimated | none
    cache_hit             INTEGER NOT NULL DEFAULT 0
  );
  -- Every index is written by the commit that precedes each response (~8-10 µs each, measured); key and
  -- model filters ride on the time index, which every dashboard query bounds anyway.
  CREATE UNIQUE INDEX spend_logs_request ON spend_logs(request_id);
  CREATE INDEX spend_logs_time ON spend_logs(start_time);
  `,
  `
  -- Where a row's cost came from: price_table (the bundled or updated LiteLLM cost map), deployment (prices in
  -- the deployment's litellm_params / model_info), unpriced (no price anywhere: cost 0, flagged, never silent).
  ALTER TABLE spend_logs ADD COLUMN cost_source TEXT NOT NULL DEFAULT 'price_table';

  -- Responses API answers kept for previous_response_id, GET /v1/responses/{id} and its input_items
  -- (store: true, the API's default). A response's conversation is its chain: each row holds only the
  -- input items its own request added and its own output.
  CREATE TABLE responses (
    id                    TEXT PRIMARY KEY,          -- resp_…
    key_id                TEXT,                      -- keys.id of the key that created it; NULL for the master key / no auth
    previous_response_id  TEXT,
    model                 TEXT NOT NULL,             -- the model name the client asked for
    created_at            INTEGER NOT NULL,          -- ms epoch
    input_items           TEXT NOT NULL,             -- JSON array: this request's input items, each with an id
    response              TEXT NOT NULL              -- JSON: the Response object as answered
  );
  CREATE INDEX responses_created ON responses(created_at);
  `,
  `
  -- model_group is the group that served (after a fallback, the fallback's group); requested_model is the
  -- name the client sent, before aliases and fallbacks. error_message is what a failed request's client was
  -- told (an upstream's own message included), masked before it is written. NULL in rows older than this.
  ALTER TABLE spend_logs ADD COLUMN requested_model TEXT;
  ALTER TABLE spend_logs ADD COLUMN error_message TEXT;
  `,
];
