/**
 * Edits model_list in config.yaml text so that everything the user wrote — comments, blank lines, key order,
 * quoting, unknown keys — stays as it was. The usual block layout (`model_list:` then `- model_name: …` items)
 * is edited by splicing only the text of the one entry concerned; the result is checked against the same edit
 * made through yaml's Document API, and when they differ (flow style, anchors, unusual layouts) the Document's
 * output is used: it keeps comments too, but may move them and re-indent.
 */
import { isDeepStrictEqual } from 'node:util';
import { Document, isAlias, isCollection, isMap, isPair, isScalar, isSeq, parseDocument, type YAMLMap, type YAMLSeq } from 'yaml';

/** As yaml-source.ts parses config.yaml (PyYAML's YAML 1.1), so quoting decisions match how the file is read. */
const YAML_OPTIONS = { version: '1.1', merge: true } as const;
const TO_STRING = { lineWidth: 0 } as const;

/** Changes to one entry. A `null` value deletes that key. */
export interface ModelPatch {
  model_name?: string;
  litellm_params?: Record<string, unknown>;
  model_info?: Record<string, unknown>;
}

export type ModelListEdit =
  | { kind: 'add'; entry: Record<string, unknown> }
  | { kind: 'update'; index: number; patch: ModelPatch }
  | { kind: 'remove'; index: number };

/** An edit that cannot be made without changing more than the entry (YAML anchors shared with other entries). */
export class ModelListEditError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelListEditError';
  }
}

/** `text` must be a valid config (the caller parsed it); returns the edited text. Throws ModelListEditError. */
export function editModelList(text: string, edit: ModelListEdit): string {
  const whole = parseDocument(text, YAML_OPTIONS);
  let expected: unknown;
  try {
    applyEdit(whole, edit);
    expected = whole.toJS({ maxAliasCount: 1000 }) as unknown;
  } catch (error) {
    if (error instanceof ModelListEditError) throw error;
    throw new ModelListEditError(`model_list cannot be edited automatically (${(error as Error).message}); edit the file by hand.`);
  }
  const crlf = text.includes('\r\n');
  let spliced = trySplice(crlf ? text.replace(/\r\n/g, '\n') : text, edit);
  if (spliced !== undefined && crlf) spliced = spliced.replace(/\n/g, '\r\n');
  if (spliced !== undefined && means(spliced, expected)) return spliced;
  return whole.toString(TO_STRING);
}

function means(text: string, expected: unknown): boolean {
  const doc = parseDocument(text, YAML_OPTIONS);
  return doc.errors.length === 0 && isDeepStrictEqual(emptyListAsNull(doc.toJS({ maxAliasCount: 1000 })), emptyListAsNull(expected));
}

/** `model_list:` with nothing after it and `model_list: []` mean the same: no models. */
function emptyListAsNull(tree: unknown): unknown {
  if (typeof tree !== 'object' || tree === null || !('model_list' in tree)) return tree;
  const list = (tree as { model_list: unknown }).model_list;
  return Array.isArray(list) && list.length === 0 ? { ...tree, model_list: null } : tree;
}

// ---- Through the Document API (the reference result, and the fallback) ----

function applyEdit(doc: Document, edit: ModelListEdit): void {
  const list = doc.get('model_list', true);
  if (edit.kind === 'add') {
    if (isSeq(list)) list.add(doc.createNode(edit.entry));
    else if (isMap(doc.contents)) doc.set('model_list', keepComments(list, doc.createNode([edit.entry])));
    else doc.contents = doc.createNode({ model_list: [edit.entry] }) as unknown as typeof doc.contents;
    return;
  }
  if (!isSeq(list)) throw new Error('model_list is not a list');
  if (edit.kind === 'remove') {
    list.delete(edit.index);
    return;
  }
  const node: unknown = list.get(edit.index, true);
  const item = ownMap(doc, node, `model_list[${edit.index}]`);
  if (item !== node) list.set(edit.index, item);
  applyPatch(doc, item, edit.patch);
}

/**
 * The node as a mapping this entry alone owns: an alias (`*base`) becomes a copy of what it points to; a mapping
 * that others refer to (`&base`) is refused, since changing it would change them too.
 */
function ownMap(doc: Document, node: unknown, where: string): YAMLMap {
  if (isAlias(node)) {
    const target = node.resolve(doc);
    if (!isMap(target)) throw new ModelListEditError(`${where} refers to ${String(node.source)}, which is not a mapping`);
    return doc.createNode(target.toJS(doc)) as YAMLMap;
  }
  if (!isMap(node)) throw new ModelListEditError(`${where} is not a mapping`);
  if (node.anchor) {
    throw new ModelListEditError(
      `${where} is shared through the YAML anchor &${node.anchor}, so changing it would change other entries too; edit the file by hand`,
    );
  }
  return node;
}

/** `model_list:` with no entries may still carry comments (commented-out examples): they stay above the new list. */
function keepComments<T extends { commentBefore?: string | null }>(old: unknown, node: T): T {
  if (isScalar(old)) {
    const comments = [old.commentBefore, old.comment].filter((c): c is string => typeof c === 'string' && c !== '');
    if (comments.length > 0) node.commentBefore = comments.join('\n');
  }
  return node;
}

function applyPatch(doc: Document, entry: YAMLMap, patch: ModelPatch): void {
  if (patch.model_name !== undefined) setKey(doc, entry, 'model_name', patch.model_name);
  const paramsKey = entry.has('llm_params') ? 'llm_params' : 'litellm_params';
  if (patch.litellm_params) mergeInto(doc, childMap(doc, entry, paramsKey), patch.litellm_params);
  if (patch.model_info) mergeInto(doc, childMap(doc, entry, 'model_info'), patch.model_info);
}

function childMap(doc: Document, parent: YAMLMap, key: string): YAMLMap {
  const existing: unknown = parent.get(key, true);
  const map = existing === undefined || (isScalar(existing) && existing.value === null) ? (doc.createNode({}) as YAMLMap) : ownMap(doc, existing, key);
  if (map !== existing) parent.set(key, map);
  return map;
}

function mergeInto(doc: Document, map: YAMLMap, values: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(values)) {
    if (value === null) map.delete(key);
    else setKey(doc, map, key, value);
  }
}

/** Sets a value; a comment on the line of the old value stays with the new one. */
function setKey(doc: Document, map: YAMLMap, key: string, value: unknown): void {
  const old = map.get(key, true);
  const node = doc.createNode(value);
  if (isScalar(old) && isScalar(node)) {
    node.comment = old.comment;
    node.commentBefore = old.commentBefore;
    node.spaceBefore = old.spaceBefore;
  }
  map.set(key, node);
}

// ---- By splicing text (exact for everything outside the entry) ----

interface ItemSpan {
  /** Start of the line with the item's `-`. */
  start: number;
  /** After the item's last line, including comment lines indented deeper than its `-`. */
  end: number;
  /** Column of the `-`. */
  dashColumn: number;
}

/** The spliced text, or undefined where splicing does not apply (the Document API's result is used then). */
function trySplice(text: string, edit: ModelListEdit): string | undefined {
  try {
    return splice(text, edit);
  } catch {
    return undefined;
  }
}

function splice(text: string, edit: ModelListEdit): string | undefined {
  const doc = parseDocument(text, YAML_OPTIONS);
  const list = doc.get('model_list', true);
  if (edit.kind === 'add' && (list === undefined || (isScalar(list) && list.value === null))) return addToEmptyList(text, doc, edit.entry);
  if (!isSeq(list) || list.flow) return undefined;
  const spans = itemSpans(text, list);
  if (spans === undefined) return undefined;
  if (edit.kind === 'add') {
    const last = spans[spans.length - 1];
    if (last === undefined) return undefined;
    const before = text.slice(0, last.end);
    const newline = before.endsWith('\n') ? '' : '\n';
    return before + newline + indent(new Document([edit.entry], YAML_OPTIONS).toString(TO_STRING), last.dashColumn) + text.slice(last.end);
  }
  const span = spans[edit.index];
  if (span === undefined) return undefined;
  if (edit.kind === 'remove') return text.slice(0, span.start) + text.slice(span.end);
  const replaced = patchedItemText(text.slice(span.start, span.end), span.dashColumn, edit.patch);
  return replaced === undefined ? undefined : text.slice(0, span.start) + replaced + text.slice(span.end);
}

/** `model_list:` with no entries (maybe comments): the new entry goes on the line after the key. */
function addToEmptyList(text: string, doc: Document, entry: Record<string, unknown>): string | undefined {
  if (!isMap(doc.contents) || doc.contents.flow) return undefined;
  const pair = doc.contents.items.find((item) => isScalar(item.key) && item.key.value === 'model_list');
  const key = pair?.key;
  if (!isScalar(key) || !key.range) return undefined;
  const lineStart = text.lastIndexOf('\n', key.range[0] - 1) + 1;
  if (text.slice(lineStart, key.range[0]).trim() !== '') return undefined;
  const at = endOfLine(text, key.range[1]);
  const newline = text.slice(0, at).endsWith('\n') ? '' : '\n';
  const item = indent(new Document([entry], YAML_OPTIONS).toString(TO_STRING), key.range[0] - lineStart + 2);
  return text.slice(0, at) + newline + item + text.slice(at);
}

/** The entry's own text, parsed on its own, patched through the Document API, and indented back. */
function patchedItemText(itemText: string, dashColumn: number, patch: ModelPatch): string | undefined {
  const doc = parseDocument(dedent(itemText, dashColumn), YAML_OPTIONS);
  if (doc.errors.length > 0 || !isSeq(doc.contents) || doc.contents.items.length !== 1) return undefined;
  const entry = doc.contents.items[0];
  if (!isMap(entry)) return undefined;
  applyPatch(doc, entry, patch);
  let out = indent(doc.toString(TO_STRING), dashColumn);
  if (!itemText.endsWith('\n')) out = out.replace(/\n$/, '');
  return out;
}

function itemSpans(text: string, list: YAMLSeq): ItemSpan[] | undefined {
  const spans: ItemSpan[] = [];
  for (const item of list.items) {
    const range = isScalar(item) || isCollection(item) || isAlias(item) ? item.range : undefined;
    if (!range) return undefined;
    let dash = range[0] - 1;
    while (dash >= 0 && text[dash] === ' ') dash--;
    if (text[dash] !== '-') return undefined;
    const start = text.lastIndexOf('\n', dash) + 1;
    if (text.slice(start, dash).trim() !== '') return undefined;
    const dashColumn = dash - start;
    let end = endOfLine(text, contentEnd(item));
    // Comment lines indented deeper than the `-` belong to this entry (e.g. commented-out parameters).
    while (end < text.length) {
      const newline = text.indexOf('\n', end);
      const next = newline === -1 ? text.length : newline + 1;
      const lead = /^( *)#/.exec(text.slice(end, next));
      if (!lead || (lead[1]?.length ?? 0) <= dashColumn) break;
      end = next;
    }
    spans.push({ start, end, dashColumn });
  }
  return spans;
}

/** Offset just after the last value character of a node (its trailing comments and blank lines excluded). */
function contentEnd(node: unknown): number {
  if (isScalar(node) || isAlias(node)) return node.range?.[1] ?? 0;
  if (!isCollection(node)) return 0;
  if (node.flow) return node.range?.[1] ?? 0;
  let end = 0;
  for (const item of node.items) {
    end = isPair(item) ? Math.max(end, contentEnd(item.key), contentEnd(item.value)) : Math.max(end, contentEnd(item));
  }
  return end;
}

/** The offset after the newline ending the line that `offset` is on (a value ending in its newline counts as that line). */
function endOfLine(text: string, offset: number): number {
  const from = offset > 0 && text[offset - 1] === '\n' ? offset - 1 : offset;
  const newline = text.indexOf('\n', from);
  return newline === -1 ? text.length : newline + 1;
}

function indent(text: string, columns: number): string {
  const pad = ' '.repeat(columns);
  return text.replace(/^(?=.)/gm, pad);
}

function dedent(text: string, columns: number): string {
  return text.replace(new RegExp(`^ {0,${columns}}`, 'gm'), '');
}
