/**
 * /admin/usage/daily → what the stacked bar chart draws: one row per date of the range (days without spend
 * as zero) and one series per key or model, the biggest spenders first; past MAX_SERIES the rest become "Other".
 * A series' colour follows its key or model, not its rank: spend moves the ranking on every refresh, and a
 * colour that moved with it would make the legend lie for a moment.
 */
import type { UsageDaily } from '../../api/types.ts';

export const MAX_SERIES = 8;
export const OTHER = 'Other';
/** The theme's chart colours are var(--chart-1) … var(--chart-8); the last is kept for "Other". */
export const PALETTE_SIZE = 8;
export const OTHER_COLOUR = `var(--chart-${PALETTE_SIZE})`;
const NAMED_COLOURS = PALETTE_SIZE - 1;

/** FNV-1a: a small, stable hash of a series' identity (a model group or a key id). */
function hashOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/**
 * Each identity's colour: its hash picks a slot; identities are placed in sorted order (never by spend) and a
 * taken slot passes to the next free one, so the shown series (at most seven) never share a colour and a
 * series keeps its colour while the others' spend changes.
 */
export function seriesColours(ids: readonly string[]): Map<string, string> {
  const taken = new Set<number>();
  const colours = new Map<string, string>();
  for (const id of [...new Set(ids)].sort()) {
    let slot = hashOf(id) % NAMED_COLOURS;
    while (taken.has(slot) && taken.size < NAMED_COLOURS) slot = (slot + 1) % NAMED_COLOURS;
    taken.add(slot);
    colours.set(id, `var(--chart-${slot + 1})`);
  }
  return colours;
}

export interface Series {
  /** The dataKey in chart rows: s0, s1, … (names may hold dots, which recharts would read as paths). */
  dataKey: string;
  name: string;
  /** A CSS colour, the same for the same key or model on every render. */
  colour: string;
  spend: number;
  requests: number;
  failed: number;
}

export interface GroupTotal {
  name: string;
  spend: number;
  requests: number;
  failed: number;
}

export interface ChartData {
  rows: Record<string, number | string>[];
  series: Series[];
  /** Every group, unmerged, for the table under the chart. */
  groups: GroupTotal[];
  total: number;
}

export function buildChartData(daily: UsageDaily, nameOf: (group: string | null, label: string | null) => string): ChartData {
  const byGroup = new Map<string, GroupTotal & { id: string; days: Map<string, number> }>();
  for (const day of daily.days) {
    const id = day.group ?? '\u0000none';
    let g = byGroup.get(id);
    if (!g) {
      g = { id, name: nameOf(day.group, day.label), spend: 0, requests: 0, failed: 0, days: new Map() };
      byGroup.set(id, g);
    }
    g.spend += day.spend;
    g.requests += day.requests;
    g.failed += day.failed_requests;
    g.days.set(day.date, (g.days.get(day.date) ?? 0) + day.spend);
  }
  const ordered = [...byGroup.values()].sort((a, b) => b.spend - a.spend || b.requests - a.requests || a.name.localeCompare(b.name));
  const shown = ordered.length > MAX_SERIES ? ordered.slice(0, MAX_SERIES - 1) : ordered;
  const rest = ordered.length > MAX_SERIES ? ordered.slice(MAX_SERIES - 1) : [];

  const colours = seriesColours(shown.map((g) => g.id));
  const series: Series[] = shown.map((g, i) => ({
    dataKey: `s${i}`,
    name: g.name,
    colour: colours.get(g.id) ?? OTHER_COLOUR,
    spend: g.spend,
    requests: g.requests,
    failed: g.failed,
  }));
  if (rest.length) {
    series.push({
      dataKey: `s${shown.length}`,
      name: OTHER,
      colour: OTHER_COLOUR,
      spend: rest.reduce((n, g) => n + g.spend, 0),
      requests: rest.reduce((n, g) => n + g.requests, 0),
      failed: rest.reduce((n, g) => n + g.failed, 0),
    });
  }
  const rows = daily.dates.map((date) => {
    const row: Record<string, number | string> = { date };
    shown.forEach((g, i) => {
      row[`s${i}`] = g.days.get(date) ?? 0;
    });
    if (rest.length) row[`s${shown.length}`] = rest.reduce((n, g) => n + (g.days.get(date) ?? 0), 0);
    return row;
  });
  return {
    rows,
    series,
    groups: ordered.map(({ name, spend, requests, failed }) => ({ name, spend, requests, failed })),
    total: ordered.reduce((n, g) => n + g.spend, 0),
  };
}
