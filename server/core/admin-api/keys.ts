/**
 * The admin API's wire types for LiteLLM's key management: /key/generate, /key/info, /key/update, /key/delete,
 * /key/list, /key/regenerate (and /key/{key}/regenerate). Money in dollars, times as ISO strings.
 */

/** The fields /key/generate, /key/update and /key/regenerate take (LiteLLM's names; absent: default or unchanged). */
export interface KeyRequestBody {
  key?: string | null;
  new_key?: string | null;
  key_alias?: string | null;
  duration?: string | null;
  models?: string[] | null;
  aliases?: Record<string, string> | null;
  metadata?: Record<string, unknown> | null;
  max_budget?: number | null;
  budget_duration?: string | null;
  rpm_limit?: number | null;
  tpm_limit?: number | null;
  max_parallel_requests?: number | null;
  user_id?: string | null;
  team_id?: string | null;
  blocked?: boolean | null;
  spend?: number | null;
}

/** /key/update and /key/regenerate name the key: the raw key, its token hash or its id. */
export interface KeyUpdateRequest extends KeyRequestBody {
  key: string;
}

export interface KeyDeleteRequest {
  keys?: string[];
  key_aliases?: string[];
}

/** LiteLLM's key object (/key/info `info`, /key/list full objects, /key/update). Never the raw key. */
export interface KeyObject {
  /** The key's sha256 hash. */
  token: string;
  key_id: string;
  /** The masked key, `sk-…abcd`. */
  key_name: string | null;
  key_alias: string | null;
  /** In the current budget period. */
  spend: number;
  total_spend: number;
  max_budget: number | null;
  budget_duration: string | null;
  budget_reset_at: string | null;
  expires: string | null;
  /** Empty: every model. */
  models: string[];
  aliases: Record<string, string>;
  config: Record<string, unknown>;
  metadata: Record<string, unknown>;
  user_id: string | null;
  team_id: string | null;
  rpm_limit: number | null;
  tpm_limit: number | null;
  max_parallel_requests: number | null;
  blocked: boolean;
  created_at: string | null;
  updated_at: string | null;
  last_active: string | null;
}

/** /key/generate and /key/regenerate: `key` is the raw key, shown this once; `token_id` its hash. */
export interface IssuedKey extends Omit<KeyObject, 'token'> {
  key: string;
  token_id: string;
  duration: string | null;
}

export interface KeyInfoAnswer {
  /** The key as asked for (`?key=`), or the token hash of the virtual key asking about itself. */
  key: string;
  info: KeyObject;
}

/** /key/update: the key as named in the request, beside its object. */
export interface UpdatedKey extends KeyObject {
  key: string;
}

/** /key/list: key objects with `return_full_object=true`, else their token hashes. */
export interface KeyListAnswer<Item extends KeyObject | string = KeyObject> {
  keys: Item[];
  total_count: number;
  current_page: number;
  total_pages: number;
}

export interface KeyDeleteAnswer {
  deleted_keys: string[];
}
