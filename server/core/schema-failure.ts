/**
 * One failure of a JSON-schema check as Ajv (and so Fastify's `err.validation`) reports it: the surfaces turn the
 * first one into a 400 in their own API's wording.
 */
export interface SchemaFailure {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}
