/**
 * /admin/usage/daily → what the stacked bar chart draws: one row per date of the range (days without spend
 * as zero) and one series per key or model, the biggest spenders first; past MAX_SERIES the rest become "Other".
 */
import type { UsageDaily } from '../../api/types.ts';

export const MAX_SERIES = 8;
export const OTHER = 'Other';

export interface Series {
  /** The dataKey in chart rows: s0, s1, … (names may hold dots, which recharts would read as paths). */
  dataKey: string;
  name: string;
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
  const byGroup = new Map<string, GroupTotal & { days: Map<string, number> }>();
  for (const day of daily.days) {
    const id = day.group ?? '\u0000none';
    let g = byGroup.get(id);
    if (!g) {
      g = { name: nameOf(day.group, day.label), spend: 0, requests: 0, failed: 0, days: new Map() };
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

  const series: Series[] = shown.map((g, i) => ({ dataKey: `s${i}`, name: g.name, spend: g.spend, requests: g.requests, failed: g.failed }));
  if (rest.length) {
    series.push({
      dataKey: `s${shown.length}`,
      name: OTHER,
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
