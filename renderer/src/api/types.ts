/**
 * The admin API as the dashboard reads it: LiteLLM's endpoints (/key/*, /model/*, /spend/logs) and the gateway's
 * own under /admin/ (docs/admin-api.md). The wire types are the server's own (server/core/admin-api.ts), imported
 * as types only — they vanish from the bundle — so a server change that breaks a shape fails the dashboard's tsc
 * instead of the dashboard. A few keep the dashboard's name for them (ModelEntry, RoutingSettings,
 * DeploymentHealth).
 */
export type {
  ErrorBody,
  // GET /admin/overview, GET /admin/settings, POST /admin/master-key/rotate, /admin/secrets
  Overview,
  GatewaySettings,
  MasterKeySource,
  RotatedMasterKey,
  SecretList,
  MaskedSecret,
  // GET /admin/config/export (text/yaml), POST /admin/config/import
  ConfigChanges,
  ConfigImportRequest,
  ConfigImportResult,
  ConfigImportRejection,
  ImportIssue,
  // GET/PUT /admin/routing
  FallbackRule,
  RoutingStrategy,
  CacheView,
  RoutingSettingsView as RoutingSettings,
  RoutingAnswer,
  RoutingInput,
  // /model/* (LiteLLM), GET /admin/deployments/health, POST /admin/deployments/:id/test
  ModelInfoEntry as ModelEntry,
  ModelInfoAnswer,
  NewModelRequest,
  ModelPatch,
  ModelUpdateRequest,
  StoredModel,
  ModelDeleteAnswer,
  HealthState,
  DeploymentSnapshot as DeploymentHealth,
  DeploymentHealthAnswer,
  DeploymentTestResult,
  // GET /admin/logs, GET /admin/logs/stream
  LogLine,
  LogTail,
  // /key/* (LiteLLM)
  KeyObject,
  KeyListAnswer,
  KeyInfoAnswer,
  IssuedKey,
  KeyRequestBody,
  KeyUpdateRequest,
  UpdatedKey,
  KeyDeleteAnswer,
  // GET /spend/logs (LiteLLM; paging headers x-total-count, x-total-pages), GET /admin/usage/daily|summary
  SpendLogRow,
  CostSource,
  UsageDay,
  UsageDaily,
  UsageSummary,
  // GET/POST/DELETE /admin/prices; model_info.cost_source of GET /model/info
  PriceTableStatus,
  PriceTableUpdate,
  UnpricedDeployment,
  ModelCostSource,
} from '../../../server/core/admin-api.ts';

import type { KeyRequestBody } from '../../../server/core/admin-api.ts';

/** A key's settings as the dashboard's forms send them: the server's request body without the fields naming a key. */
export type KeyRequest = Omit<KeyRequestBody, 'key' | 'new_key'>;
