/** How one pino line reads in the Logs page: time, level name, message, and the other fields as `name=value`. */
import type { LogLine } from '../../api/types.ts';

export const LEVELS = [
  { value: 10, name: 'trace', label: 'Trace' },
  { value: 20, name: 'debug', label: 'Debug' },
  { value: 30, name: 'info', label: 'Info' },
  { value: 40, name: 'warn', label: 'Warn' },
  { value: 50, name: 'error', label: 'Error' },
  { value: 60, name: 'fatal', label: 'Fatal' },
] as const;

/** pino's name for a level number (a custom number takes the name of the level at or below it). */
export function levelName(level: number): string {
  let name: string = LEVELS[0].name;
  for (const l of LEVELS) if (level >= l.value) name = l.name;
  return name;
}

/** Fields every line has, shown in their own columns or not at all. */
const OWN_COLUMNS = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'v']);

/** Field names that hold secrets. The gateway masks them before sending; this is a second guard. */
const SECRET_NAME = /(authorization|api[-_]?key|master[-_]?key|secret|password|passwd|cookie|credential|bearer|(^|[-_])(access|auth|refresh|id)?[-_]?token$)/i;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** Already masked by the gateway (`sk-…abcd`, `[masked]`, `****`)? */
function looksMasked(value: string): boolean {
  return value.includes('…') || /\[masked\]|\[redacted\]|\*{3,}/i.test(value) || /^(keychain|os\.environ)\//.test(value);
}

/** A secret field's value as it may be shown: masked values as they came, anything else replaced. */
export function maskedValue(value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (typeof value === 'string' && looksMasked(value)) return value;
  return '[masked]';
}

/** Masks secret-named fields at any depth. */
export function maskSecrets(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => maskSecrets(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, isSecretName(k) ? maskedValue(v) : maskSecrets(v, depth + 1)]));
}

function compactValue(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  if (value === null || typeof value !== 'object') return String(value);
  return JSON.stringify(value);
}

/** `model=gpt-4o status=200 ms=12.5`: every field but time, level and message, secrets masked. */
export function formatFields(line: LogLine): string {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(line)) {
    if (OWN_COLUMNS.has(name) || value === undefined) continue;
    const shown = isSecretName(name) ? maskedValue(value) : maskSecrets(value);
    parts.push(`${name}=${compactValue(shown)}`);
  }
  return parts.join(' ');
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Local wall-clock time with milliseconds: 14:03:27.120. */
export function formatTime(time: number): string {
  const d = new Date(time);
  if (Number.isNaN(d.getTime())) return '--:--:--.---';
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

export interface LogEntry {
  id: number;
  level: number;
  levelName: string;
  time: string;
  msg: string;
  fields: string;
  /** Everything shown, lower-cased, for the search box. */
  search: string;
}

let nextId = 1;

export function toEntry(line: LogLine): LogEntry {
  const name = levelName(line.level);
  const time = formatTime(line.time);
  const msg = typeof line.msg === 'string' ? line.msg : line.msg === undefined ? '' : compactValue(line.msg);
  const fields = formatFields(line);
  return { id: nextId++, level: line.level, levelName: name, time, msg, fields, search: `${time} ${name} ${msg} ${fields}`.toLowerCase() };
}
