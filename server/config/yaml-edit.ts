/**
 * Changes values in config.yaml text by path — set or remove `router_settings.num_retries`,
 * `general_settings.master_key`, `model_list[2].litellm_params.api_key`, … — so that everything else the user
 * wrote (comments, blank lines, key order, quoting, anchors, unknown keys) stays byte for byte. Each edit splices
 * only the text of the value concerned (or inserts one new `key: value` line beside its siblings); the result is
 * checked against the same edits made through yaml's Document API, and where they differ (unusual layouts) the
 * Document's output is used: it keeps comments too, but may move them and re-indent (as model-list-edit.ts does).
 *
 * New lists are written in flow style (`fallbacks: [{gpt-4o: [claude]}]`, as LiteLLM's docs write them), new
 * mappings in block style; a value replaced keeps the style of the old one where it can.
 */
import { isDeepStrictEqual } from 'node:util';
import { Document, isAlias, isCollection, isMap, isPair, isScalar, isSeq, parseDocument, visit, type Pair, type YAMLMap } from 'yaml';
import type { PathSegment } from './path.ts';

/** As yaml-source.ts parses config.yaml (PyYAML's YAML 1.1), so quoting decisions match how the file is read. */
const YAML_OPTIONS = { version: '1.1', merge: true } as const;
const TO_STRING = { lineWidth: 0 } as const;
const TO_JS = { maxAliasCount: 1000 } as const;

/** Set `path` to `value` (creating the mappings on the way), or remove it (nothing happens when it is not there). */
export type YamlEdit = { path: readonly PathSegment[]; value: unknown } | { path: readonly PathSegment[]; remove: true };

/** The text cannot be edited (it is not valid YAML, or a path runs through something that is not a mapping). */
export class YamlEditError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'YamlEditError';
  }
}

/** Applies `edits` in order and returns the new text. Throws YamlEditError. */
export function editYaml(text: string, edits: readonly YamlEdit[]): string {
  if (edits.length === 0) return text;
  const crlf = text.includes('\r\n');
  const source = crlf ? text.replace(/\r\n/g, '\n') : text;
  const whole = parseDocument(source, YAML_OPTIONS);
  if (whole.errors.length > 0) throw new YamlEditError(`the file is not valid YAML (${whole.errors[0]?.message.split('\n')[0] ?? 'syntax error'})`);
  edits = edits.map((edit) => inSettingsAsWritten(whole, edit));
  try {
    for (const edit of edits) applyToDocument(whole, edit);
  } catch (error) {
    throw new YamlEditError(`cannot change ${edits.map((e) => e.path.join('.')).join(', ')}: ${(error as Error).message}`);
  }
  const expected = whole.toJS(TO_JS) as unknown;
  let spliced: string | undefined = source;
  for (const edit of edits) {
    spliced = trySplice(spliced, edit);
    if (spliced === undefined) break;
  }
  const out = spliced !== undefined && means(spliced, expected) ? spliced : whole.toString(TO_STRING);
  return crlf ? out.replace(/\n/g, '\r\n') : out;
}

/** An edit of `litellm_settings.…` goes to the file's `llm_settings` when that is the name it uses (schema.ts reads both). */
function inSettingsAsWritten(doc: Document, edit: YamlEdit): YamlEdit {
  if (edit.path[0] !== 'litellm_settings' || !doc.has('llm_settings') || doc.has('litellm_settings')) return edit;
  return { ...edit, path: ['llm_settings', ...edit.path.slice(1)] };
}

function means(text: string, expected: unknown): boolean {
  const doc = parseDocument(text, YAML_OPTIONS);
  return doc.errors.length === 0 && isDeepStrictEqual(doc.toJS(TO_JS), expected);
}

const isRemove = (edit: YamlEdit): edit is { path: readonly PathSegment[]; remove: true } => 'remove' in edit;
const isEmpty = (node: unknown): boolean => node === undefined || node === null || (isScalar(node) && node.value === null);
const keyOf = (pair: Pair): unknown => (isScalar(pair.key) ? pair.key.value : pair.key);

// ---- Through the Document API (the reference result, and the fallback) ----

function applyToDocument(doc: Document, edit: YamlEdit): void {
  const path = [...edit.path];
  if (isRemove(edit)) {
    if (doc.hasIn(path)) doc.deleteIn(path);
    return;
  }
  if (isEmpty(doc.contents)) doc.contents = doc.createNode({}) as never;
  // An empty value on the way (`router_settings:` with only comments under it) becomes a mapping.
  for (let depth = 1; depth < path.length; depth++) {
    const at = path.slice(0, depth);
    if (isEmpty(doc.getIn(at, true))) doc.setIn(at, doc.createNode({}));
  }
  const old: unknown = doc.getIn(path, true);
  const node = styled(doc.createNode(edit.value), true);
  // What refers to the old value (`*anchor`) refers to the new one; its comments stay with it.
  if ((isScalar(old) || isCollection(old)) && (isScalar(node) || isCollection(node))) {
    if (old.anchor) node.anchor = old.anchor;
    node.comment = old.comment;
    node.commentBefore = old.commentBefore;
  }
  doc.setIn(path, node);
}

/** Lists in flow style (`[a, b]`, `[{gpt-4o: [claude]}]`) when `flowLists`, mappings in block style. */
function styled<T>(node: T, flowLists: boolean): T {
  if (flowLists && isCollection(node)) {
    visit(node as never, {
      Seq: (_key, seq) => {
        seq.flow = true;
      },
    });
  }
  return node;
}

// ---- By splicing text ----

function trySplice(text: string, edit: YamlEdit): string | undefined {
  try {
    return splice(text, edit);
  } catch {
    return undefined;
  }
}

function splice(text: string, edit: YamlEdit): string | undefined {
  const doc = parseDocument(text, YAML_OPTIONS);
  if (doc.errors.length > 0) return undefined;
  const path = edit.path;
  if (path.length === 0) return undefined;
  let node: unknown = doc.contents;
  let parent: Pair | undefined;
  for (let depth = 0; depth < path.length; depth++) {
    const segment = path[depth];
    const last = depth === path.length - 1;
    if (depth === 0 && isEmpty(node)) {
      // A file of comments only: the new section goes at the end.
      return isRemove(edit) ? text : appendAtEnd(text, segment, nested(path.slice(1), edit.value));
    }
    if (isMap(node)) {
      const pair = node.items.find((item) => keyOf(item) === segment);
      if (!pair) {
        if (isRemove(edit)) return text;
        return insertInto(text, node, depth === 0, path.slice(depth), edit.value);
      }
      if (last) return isRemove(edit) ? removePair(text, node, pair, parent) : replaceValue(text, pair, edit.value);
      if (isEmpty(pair.value)) {
        if (isRemove(edit)) return text;
        return replacePair(text, pair, nested(path.slice(depth + 1), edit.value), true);
      }
      parent = pair;
      node = pair.value;
      continue;
    }
    if (isSeq(node) && typeof segment === 'number') {
      const item: unknown = node.items[segment];
      if (item === undefined) return undefined;
      parent = undefined;
      if (last) {
        if (isRemove(edit) || !isScalar(item) || !item.range) return undefined;
        return text.slice(0, item.range[0]) + inline(edit.value) + text.slice(item.range[1]);
      }
      node = item;
      continue;
    }
    return undefined;
  }
  return undefined;
}

/** `{a: {b: value}}` for path [a, b]; `value` itself for an empty path. */
function nested(path: readonly PathSegment[], value: unknown): unknown {
  return path.reduceRight<unknown>((inner, segment) => ({ [String(segment)]: inner }), value);
}

function replaceValue(text: string, pair: Pair, value: unknown): string | undefined {
  const old: unknown = pair.value;
  const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
  if (isCollection(old) && !old.flow) return replacePair(text, pair, value, !(isSeq(old) && !old.flow));
  if (isEmpty(old) && (!isScalar(old) || old.source === '' || old.source === undefined)) {
    // `key:` with nothing after it.
    if (isObject) return replacePair(text, pair, value, true);
    const colon = colonAfter(text, pair);
    if (colon === undefined) return undefined;
    return `${text.slice(0, colon + 1)} ${inline(value)}${text.slice(colon + 1)}`;
  }
  if (isObject && !(isCollection(old) && old.flow)) return replacePair(text, pair, value, true);
  const range = isScalar(old) || isCollection(old) || isAlias(old) ? old.range : undefined;
  if (!range) return undefined;
  return text.slice(0, range[0]) + inline(value) + text.slice(range[1]);
}

/** The pair's text (from its key to the end of its value's last line) replaced by `key: value` in block style. */
function replacePair(text: string, pair: Pair, value: unknown, flowLists: boolean): string | undefined {
  if (!isScalar(pair.key) || !pair.key.range) return undefined;
  const keyStart = pair.key.range[0];
  const column = keyStart - lineStart(text, keyStart);
  const colon = colonAfter(text, pair);
  if (colon === undefined) return undefined;
  const end = endOfLine(text, Math.max(colon + 1, contentEnd(pair.value)));
  // A comment on the key's line stays on it.
  const keyLineEnd = endOfLine(text, colon + 1);
  const rest = text.slice(colon + 1, keyLineEnd).trim();
  const comment = rest.startsWith('#') ? rest : /\s(#.*)$/.exec(rest)?.[1];
  let rendered = renderPair(String(keyOf(pair)), value, flowLists, column);
  if (comment) rendered = rendered.replace(/\n/, `  ${comment}\n`);
  return text.slice(0, keyStart) + rendered + text.slice(end);
}

function removePair(text: string, map: YAMLMap, pair: Pair, parent: Pair | undefined): string | undefined {
  // The mapping would become empty: `{}` keeps it a mapping (`cache: {}` is a cache, `cache:` is none).
  if (map.items.length === 1) return parent ? replaceValue(text, parent, {}) : undefined;
  if (map.flow || !isScalar(pair.key) || !pair.key.range) return undefined;
  const keyStart = pair.key.range[0];
  const start = lineStart(text, keyStart);
  // `- key: …`, the first key of a list item, cannot go without its dash.
  if (text.slice(start, keyStart).trim() !== '') return undefined;
  const colon = colonAfter(text, pair);
  if (colon === undefined) return undefined;
  const end = endOfLine(text, Math.max(colon + 1, contentEnd(pair.value)));
  return text.slice(0, start) + text.slice(end);
}

/** A new `key: value` beside the mapping's last entry (at the end of the file for a top-level key). */
function insertInto(text: string, map: YAMLMap, topLevel: boolean, path: readonly PathSegment[], value: unknown): string | undefined {
  const [first, ...rest] = path;
  const inner = nested(rest, value);
  if (map.flow) {
    const range = map.range;
    if (!range) return undefined;
    const close = text.lastIndexOf('}', range[1]);
    if (close < range[0]) return undefined;
    const entry = `${inline(String(first))}: ${inline(inner)}`;
    const lastItem = map.items[map.items.length - 1];
    if (!lastItem) return `${text.slice(0, close)} ${entry} ${text.slice(close)}`;
    const at = contentEnd(lastItem.value ?? lastItem.key);
    return `${text.slice(0, at)}, ${entry}${text.slice(at)}`;
  }
  if (topLevel) return appendAtEnd(text, first, inner);
  const firstItem = map.items[0];
  const lastItem = map.items[map.items.length - 1];
  if (!firstItem || !lastItem || !isScalar(firstItem.key) || !firstItem.key.range) return undefined;
  const column = firstItem.key.range[0] - lineStart(text, firstItem.key.range[0]);
  const at = endOfLine(text, contentEnd(lastItem.value ?? lastItem.key));
  const newline = at > 0 && text[at - 1] !== '\n' ? '\n' : '';
  return text.slice(0, at) + newline + ' '.repeat(column) + renderPair(String(first), inner, true, column) + text.slice(at);
}

function appendAtEnd(text: string, key: PathSegment | undefined, value: unknown): string {
  const newline = text === '' || text.endsWith('\n') ? '' : '\n';
  return text + newline + renderPair(String(key), value, true, 0);
}

/** `key: value` in block style, its lines after the first indented by `column`; ends with a newline. */
function renderPair(key: string, value: unknown, flowLists: boolean, column: number): string {
  const doc = new Document(undefined, YAML_OPTIONS);
  const map = doc.createNode({}) as YAMLMap;
  map.set(doc.createNode(key), styled(doc.createNode(value), flowLists));
  doc.contents = map as never;
  const out = doc.toString(TO_STRING);
  const pad = ' '.repeat(column);
  return out.replace(/\n(?=.)/g, `\n${pad}`);
}

/** A value on one line: a scalar as YAML writes it (quoted where needed), a collection in flow style. */
function inline(value: unknown): string {
  const doc = new Document(undefined, YAML_OPTIONS);
  const node = doc.createNode(value);
  if (isCollection(node)) {
    visit(node as never, {
      Map: (_key, map) => {
        map.flow = true;
      },
      Seq: (_key, seq) => {
        seq.flow = true;
      },
    });
  }
  doc.contents = node as never;
  const out = doc.toString(TO_STRING).trimEnd();
  if (out.includes('\n')) throw new YamlEditError('the value does not fit on one line');
  return out;
}

function colonAfter(text: string, pair: Pair): number | undefined {
  if (!isScalar(pair.key) || !pair.key.range) return undefined;
  const colon = text.indexOf(':', pair.key.range[1]);
  if (colon === -1 || text.slice(pair.key.range[1], colon).trim() !== '') return undefined;
  return colon;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** Offset just after the last value character of a node (its trailing comments and blank lines excluded). */
function contentEnd(node: unknown): number {
  if (isScalar(node) || isAlias(node)) return node.range?.[1] ?? 0;
  if (isPair(node)) return Math.max(contentEnd(node.key), contentEnd(node.value));
  if (!isCollection(node)) return 0;
  if (node.flow) return node.range?.[1] ?? 0;
  let end = 0;
  for (const item of node.items) end = Math.max(end, contentEnd(item));
  return end;
}

/** The offset after the newline ending the line that `offset` is on (a value ending in its newline counts as that line). */
function endOfLine(text: string, offset: number): number {
  const from = offset > 0 && text[offset - 1] === '\n' ? offset - 1 : offset;
  const newline = text.indexOf('\n', from);
  return newline === -1 ? text.length : newline + 1;
}
