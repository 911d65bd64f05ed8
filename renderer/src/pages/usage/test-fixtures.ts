/** For the Usage components' tests: a /spend/logs row with everything a successful chat call records. */
import type { SpendLogRow } from '../../api/types.ts';

/**
 * `over` may set any field, the fallback and error fields too (`requested_model`, `metadata.error_message`,
 * `metadata.fallback`): it is loosely typed so a row written before the gateway kept them can be built as well.
 */
export function spendLogRow(over: Record<string, unknown> & { metadata?: Record<string, unknown> } = {}): SpendLogRow {
  const { metadata, ...rest } = over;
  return {
    request_id: 'chatcmpl-1',
    call_type: 'acompletion',
    api_key: 'b'.repeat(64),
    key_alias: 'aider-laptop',
    spend: 0.00012345,
    total_tokens: 30,
    prompt_tokens: 20,
    completion_tokens: 10,
    startTime: '2024-05-10T11:59:00.000Z',
    endTime: '2024-05-10T11:59:01.000Z',
    request_duration_ms: 1000,
    completionStartTime: '2024-05-10T11:59:00.250Z',
    model: 'gpt-4o-2024-08-06',
    model_id: 'dep-1234567890abcdef',
    model_group: 'gpt-4o',
    custom_llm_provider: 'openai',
    api_base: 'https://api.openai.com/v1',
    user: '',
    end_user: null,
    cache_hit: 'False',
    cache_key: '',
    request_tags: [],
    team_id: null,
    status: 'success',
    ...rest,
    // The client asked for the group that served, unless the test says otherwise (a fallback, an old row).
    requested_model: 'requested_model' in rest ? rest.requested_model : (rest.model_group ?? 'gpt-4o'),
    metadata: {
      user_api_key: 'b'.repeat(64),
      user_api_key_alias: 'aider-laptop',
      key_id: 'id-b',
      endpoint: 'chat',
      stream: true,
      http_status: 200,
      error_type: null,
      error_information: null,
      error_message: null,
      fallback: false,
      usage_source: 'provider',
      cached_tokens: 4,
      cache_creation_tokens: 0,
      ttft_ms: 250,
      spend_nanos: 123450,
      cost_source: 'price_table',
      ...metadata,
    },
  } as SpendLogRow;
}
