/** Function tools as Codex and the AI SDK send them, for the request translation tests. */
export const functionTool = (name: string) => ({
  type: 'function',
  name,
  description: `The ${name} tool.`,
  strict: false,
  parameters: { type: 'object', properties: { arg: { type: 'string' } }, required: ['arg'], additionalProperties: false },
});
