/** One problem found in a config file; `path` is LiteLLM-style (`model_list[0].litellm_params.rpm`), '' for the whole file. */
export interface ConfigIssue {
  path: string;
  /** What is wrong and how to fix it, without the path (the UI shows the path beside it). */
  message: string;
  /** 1-based position in the file, when known. */
  line?: number;
  column?: number;
}

/**
 * A config file that cannot be used. The message is meant to be shown to a person as is:
 * it names the file, every offending path (with its line) and the fix.
 */
export class ConfigError extends Error {
  readonly file: string;
  readonly issues: ConfigIssue[];

  constructor(file: string, issues: ConfigIssue[]) {
    super(formatConfigError(file, issues));
    this.name = 'ConfigError';
    this.file = file;
    this.issues = issues;
  }
}

function formatConfigError(file: string, issues: readonly ConfigIssue[]): string {
  const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
  const lines = issues.map((issue) => `  - ${formatIssue(issue)}`);
  return [`Invalid config file ${file} (${count}):`, ...lines].join('\n');
}

function formatIssue(issue: ConfigIssue): string {
  const where = issue.line === undefined ? '' : `line ${issue.line}${issue.column === undefined ? '' : `, column ${issue.column}`}`;
  if (issue.path === '') return where === '' ? issue.message : `${where}: ${issue.message}`;
  return `${issue.path}${where === '' ? '' : ` (${where})`}: ${issue.message}`;
}
