/** One step into the config tree: a mapping key or a list index. */
export type PathSegment = string | number;

const PLAIN_KEY = /^[A-Za-z0-9_\-/]+$/;

/**
 * Formats a path the way LiteLLM users read their config: `model_list[2].litellm_params.model`.
 * Keys that would be ambiguous in dotted form (dots, spaces, empty) are written `["a.b"]`.
 */
export function formatPath(segments: readonly PathSegment[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (PLAIN_KEY.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}
