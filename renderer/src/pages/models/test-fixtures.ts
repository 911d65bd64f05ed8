/** Gateway answers the Models page tests share. */
import type { DeploymentHealth, DeploymentHealthAnswer, ModelEntry } from '../../api/types.ts';

export const MOCK_ENTRY: ModelEntry = {
  model_name: 'mock-gpt',
  litellm_params: { model: 'mock/echo' },
  model_info: { id: 'mock-1', db_model: false },
};

export const OPENAI_ENTRY: ModelEntry = {
  model_name: 'gpt-4o',
  litellm_params: {
    model: 'openai/gpt-4o',
    api_key: 'keychain/model-openai-1-api_key',
    rpm: 500,
    tpm: 100000,
    timeout: 30,
    input_cost_per_token: 0.0000025,
    output_cost_per_token: 0.00001,
    temperature: 0.2,
  },
  model_info: { id: 'openai-1', db_model: false },
};

export const AZURE_ENTRY: ModelEntry = {
  model_name: 'gpt-4o',
  litellm_params: { model: 'azure/prod-gpt4o', api_base: 'https://acme.openai.azure.com', api_version: '2024-06-01', api_key: 'sk-…abcd' },
  model_info: { id: 'azure-1', db_model: false },
};

export function health(id: string, model_name: string, model: string, over: Partial<DeploymentHealth> = {}): DeploymentHealth {
  return {
    id,
    model_name,
    model,
    api_base: null,
    state: 'healthy',
    success_rate: 1,
    requests: 10,
    errors: 0,
    latency_p50_ms: 120,
    latency_p95_ms: 300,
    last_error: null,
    cooldown_remaining_s: 0,
    in_flight: 0,
    last_check: null,
    total_requests: 10,
    total_errors: 0,
    ...over,
  };
}

export function healthAnswer(deployments: DeploymentHealth[]): DeploymentHealthAnswer {
  return { window: { seconds: 300, max_calls: 200 }, background_health_checks: { enabled: false, interval_s: 300, last_run_at: null }, deployments };
}
