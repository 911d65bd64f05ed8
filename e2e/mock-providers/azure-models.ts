/**
 * Azure OpenAI "Models - List" (`GET {endpoint}/openai/models?api-version=…`): the base models the resource can
 * use, each `{id, object: "model", created_at, status, lifecycle_status, capabilities, deprecation}`, in
 * `{"data": […], "object": "list"}` (https://learn.microsoft.com/rest/api/azureopenai/models/list). Deployments
 * are not models, so the list does not name them; the gateway calls it only as a cheap health probe.
 */
import type { MockReply } from './http.ts';

const chat = { fine_tune: false, inference: true, completion: false, chat_completion: true, embeddings: false };
const embeddings = { fine_tune: false, inference: true, completion: false, chat_completion: false, embeddings: true };

/** What the mock resource lists (unix seconds; `deprecation` = when inference / fine-tuning end). */
export const AZURE_MOCK_MODELS = [
  { id: 'gpt-4o', capabilities: chat, created_at: 1715558400, deprecation: { inference: 1790812800 } },
  { id: 'gpt-35-turbo', capabilities: chat, created_at: 1677628800, deprecation: { inference: 1772323200 } },
  { id: 'text-embedding-3-small', capabilities: embeddings, created_at: 1706659200, deprecation: { inference: 1801526400 } },
].map((model) => ({ ...model, object: 'model', status: 'succeeded', lifecycle_status: 'generally-available' }));

export function azureModelsReply(): MockReply {
  return { kind: 'json', status: 200, body: { data: AZURE_MOCK_MODELS, object: 'list' } };
}
