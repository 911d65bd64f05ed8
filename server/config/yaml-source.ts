import { LineCounter, isNode, parseDocument, type Document } from 'yaml';
import { ConfigError, type ConfigIssue } from './errors.ts';
import type { PathSegment } from './path.ts';

export interface Position {
  line: number;
  column: number;
}

export interface YamlSource {
  /** Plain JS value of the document (null for an empty file). */
  tree: unknown;
  /** Non-fatal YAML remarks (e.g. unknown tags), already prefixed with the file name. */
  warnings: string[];
  /** Where a path is in the file; for a missing key, where its nearest existing parent is. */
  locate(path: readonly PathSegment[]): Position | undefined;
}

/**
 * Parses config.yaml with YAML 1.1 rules, which is what PyYAML (and so LiteLLM) uses: the same file means
 * the same thing in both (`yes` is true, an unquoted `2023-05-15` is a date). Merge keys (`<<: *base`) work
 * as in PyYAML. Syntax errors become a ConfigError with line and column.
 */
export function parseYamlSource(text: string, file: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { version: '1.1', merge: true, lineCounter, prettyErrors: true });
  if (doc.errors.length > 0) {
    const issues: ConfigIssue[] = doc.errors.map((error) => {
      const at = error.linePos?.[0];
      // The pretty message repeats the position and a code excerpt; keep its first line only.
      const message = `YAML syntax error: ${error.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '')} — fix the indentation or quoting there`;
      return at === undefined ? { path: '', message } : { path: '', message, line: at.line, column: at.col };
    });
    throw new ConfigError(file, issues);
  }
  const warnings = doc.warnings.map((warning) => `${file}: ${warning.message.split('\n')[0] ?? warning.message}`);
  return { tree: doc.toJS({ maxAliasCount: 1000 }) as unknown, warnings, locate: (path) => locate(doc, lineCounter, path) };
}

function locate(doc: Document, lineCounter: LineCounter, path: readonly PathSegment[]): Position | undefined {
  for (let depth = path.length; depth >= 0; depth--) {
    const node: unknown = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) {
      const { line, col } = lineCounter.linePos(node.range[0]);
      return { line, column: col };
    }
  }
  return undefined;
}
