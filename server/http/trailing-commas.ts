/**
 * The one leniency of the gateway's JSON: a comma after the last element of an object or array (`[1, 2,]`,
 * `{"a": 1,\n}`). LiteLLM proxy's documented curls end their bodies that way and its proxy accepted them.
 * Only for a body that strict JSON.parse refused (json-body.ts); comments, single quotes, unquoted keys and the
 * like stay errors.
 */

import { BACKSLASH, CLOSE_BRACE, CLOSE_BRACKET, COMMA, OPEN_BRACE, OPEN_BRACKET, QUOTE } from './json-chars.ts';

/** JSON's whitespace: space, tab, line feed, carriage return. */
const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

/**
 * `text` without the commas that stand between a value and a closing `}` or `]` (outside strings), or undefined
 * when it has none — or has a comma with no value before it (`[,]`, `{,}`, `[1,,]`), which is no trailing comma.
 * Whether the rest is JSON is for the parser to say.
 */
export function withoutTrailingCommas(text: string): string | undefined {
  let out = '';
  let copiedUpTo = 0;
  let inString = false;
  /** The last character outside strings that is not whitespace (a closing quote counts as `"`). */
  let previous = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) {
        inString = false;
        previous = QUOTE;
      }
      continue;
    }
    if (c === QUOTE) {
      inString = true;
      continue;
    }
    if (isSpace(c)) continue;
    if (c === COMMA) {
      let next = i + 1;
      while (next < text.length && isSpace(text.charCodeAt(next))) next++;
      const closer = text.charCodeAt(next);
      if (closer === CLOSE_BRACE || closer === CLOSE_BRACKET) {
        if (previous === -1 || previous === COMMA || previous === OPEN_BRACE || previous === OPEN_BRACKET) return undefined;
        out += text.slice(copiedUpTo, i);
        copiedUpTo = i + 1;
      }
    }
    previous = c;
  }
  return copiedUpTo === 0 ? undefined : out + text.slice(copiedUpTo);
}
