/**
 * The admin API's wire types for config.yaml: GET /admin/config/export answers the file itself (text/yaml,
 * `Content-Disposition: attachment; filename="config.yaml"`, secrets as references); POST /admin/config/import
 * takes {yaml, apply?} (or the YAML as text/yaml with `?apply=true`) and answers these.
 */
import type { OpenAIErrorBody } from '../errors.ts';

/** What an imported config changes, by name only (a setting's value may be a secret). */
export interface ConfigChanges {
  models_added: string[];
  models_removed: string[];
  models_changed: string[];
  /** `litellm_settings.x`, `router_settings.y`, `general_settings.z`, `environment_variables.NAME`. */
  settings_changed: string[];
}

/** One problem with an imported config: where (`model_list[0].litellm_params.model`, and its line) and what. */
export interface ImportIssue {
  path: string;
  message: string;
  line?: number;
}

export interface ConfigImportRequest {
  yaml: string;
  /** Apply it (else a dry run: the diff and the changes only). */
  apply?: boolean;
}

export interface ConfigImportResult {
  valid: boolean;
  applied: boolean;
  /** Unified diff from the running config.yaml to the imported one (secret values never appear). */
  diff: string;
  changes: ConfigChanges;
  /** Present when valid is false (the answer is then a ConfigImportRejection). */
  issues?: ImportIssue[];
}

/** The 400 answer for an import that is not valid: the error envelope (with the issues) beside the result fields. */
export interface ConfigImportRejection extends ConfigImportResult {
  error: OpenAIErrorBody['error'] & { issues: ImportIssue[] };
  valid: false;
  applied: false;
  issues: ImportIssue[];
}
