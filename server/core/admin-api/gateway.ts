/**
 * The admin API's wire types for the gateway itself: GET /admin/overview, GET /admin/settings,
 * POST /admin/master-key/rotate and the secret store (GET/PUT/DELETE /admin/secrets). Field names are the wire's.
 */

// ---------- GET /admin/overview ----------
export interface Overview {
  status: 'running';
  version: string;
  /** What clients put in their base URL, e.g. http://localhost:4000 (no /v1). */
  base_url: string;
  started_at: string;
  uptime_s: number;
  /** Requests finished in the last 60 seconds. */
  requests_per_minute: number;
  /** Since 00:00 UTC. */
  today: { requests: number; spend: number; errors: number; error_rate: number | null };
  deployments: { total: number; healthy: number; unhealthy: number; cooling: number; unknown: number };
  /** Model groups a client may ask for (model_name values), for "Connect a client". */
  models: string[];
}

// ---------- GET /admin/settings ----------
/** Where the running master key comes from. */
export type MasterKeySource = 'keychain' | 'config' | 'env' | 'none';

export interface GatewaySettings {
  host: string;
  port: number;
  base_url: string;
  version: string;
  data_dir: string | null;
  /** null when the gateway runs from --model with no config file (editing is off). */
  config_path: string | null;
  master_key: { set: boolean; source: MasterKeySource; masked: string | null; rotatable: boolean };
  secret_store: { kind: 'keychain' | 'file' | 'memory'; weaker_protection: boolean; description: string };
  price_table: { path: string; models: number; modified_at: string | null; source: string };
}

// ---------- POST /admin/master-key/rotate ----------
/** The new master key, shown this once; the old one stops working at once. */
export interface RotatedMasterKey {
  master_key: string;
  masked: string;
}

// ---------- GET /admin/secrets, PUT /admin/secrets/:name {value}, DELETE /admin/secrets/:name ----------
export type SecretBackend = 'keychain' | 'encrypted-file' | 'memory';

/** A secret as the admin API shows it: its name and `sk-…abcd` mask, never the value. */
export interface MaskedSecret {
  name: string;
  masked: string;
}

export interface SecretList {
  backend: SecretBackend;
  /** The encrypted-file fallback (no OS keychain), for the dashboard's warning. */
  weaker_protection: boolean;
  secrets: MaskedSecret[];
}

export interface SecretValueRequest {
  value: string;
}

export interface DeletedSecret {
  deleted: string;
}
