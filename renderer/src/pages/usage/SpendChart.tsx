/**
 * Spend per day as stacked bars, by key or by model (GET /admin/usage/daily), with the per-group totals in a
 * table under it. Colours come from the theme's CSS variables, so the chart reads in dark mode too.
 */
import { useId, useMemo, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useAllKeys } from '../../api/keys.ts';
import { useUsageDaily, type DateRange, type GroupBy } from '../../api/usage.ts';
import { ErrorState, Loading } from '../../components/StateViews.tsx';
import { formatCount, formatNumber, formatUsd } from '../../components/format.ts';
import { buildChartData } from './chart-data.ts';
import { axisUsd, dayLabel, shortId } from './usage-format.ts';

export const CHART_HEIGHT = 240;

export function SpendChart({ range }: { range: DateRange }) {
  const [groupBy, setGroupBy] = useState<GroupBy>('model');
  const daily = useUsageDaily(groupBy, range);
  const keys = useAllKeys();
  const summaryId = useId();

  const data = useMemo(() => {
    if (!daily.data) return undefined;
    const keyNames = new Map((keys.data?.keys ?? []).map((k) => [k.key_id, k.key_alias || k.key_name || k.key_id]));
    const nameOf = (group: string | null, label: string | null): string => {
      if (daily.data.group_by === 'model') return label || group || 'Unknown model';
      if (group === null) return 'No key (master key)';
      return label || keyNames.get(group) || `key ${shortId(group)}`;
    };
    return buildChartData(daily.data, nameOf);
  }, [daily.data, keys.data]);

  const shownBy = daily.data?.group_by ?? groupBy;
  const what = shownBy === 'key' ? 'key' : 'model';
  const label = `Spend per day by ${what}`;

  return (
    <section className="card usage-chart-card" aria-labelledby={`${summaryId}-h`}>
      <div className="row">
        <h2 id={`${summaryId}-h`}>Spend over time</h2>
        <span className="spacer" />
        <div className="toggle-group" role="group" aria-label="Group by">
          {(['key', 'model'] as const).map((g) => (
            <button key={g} type="button" className="toggle" aria-pressed={groupBy === g} onClick={() => setGroupBy(g)}>
              {g === 'key' ? 'By key' : 'By model'}
            </button>
          ))}
        </div>
      </div>
      {daily.isPending || !data ? (
        daily.error ? (
          <ErrorState title="Could not load spend per day" error={daily.error} onRetry={() => void daily.refetch()} />
        ) : (
          <Loading label="Loading spend per day…" />
        )
      ) : (
        <>
          {daily.error && <ErrorState title="Could not refresh spend per day" error={daily.error} onRetry={() => void daily.refetch()} />}
          <p id={summaryId} className="muted chart-summary">
            {data.groups.length === 0
              ? `No spend in these ${formatCount(data.rows.length, 'day')}.`
              : `${formatUsd(data.total)} over ${formatCount(data.rows.length, 'day')} across ${formatCount(data.groups.length, what)}.`}
          </p>
          <div className="usage-chart" role="img" aria-label={label} aria-describedby={summaryId} aria-busy={daily.isFetching || undefined}>
            <ResponsiveContainer width="100%" height={CHART_HEIGHT} initialDimension={{ width: 640, height: CHART_HEIGHT }}>
              <BarChart data={data.rows} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
                <CartesianGrid vertical={false} stroke="var(--border)" />
                <XAxis dataKey="date" tickFormatter={dayLabel} tick={{ fill: 'var(--muted)', fontSize: 11 }} stroke="var(--border)" minTickGap={12} />
                <YAxis tickFormatter={axisUsd} tick={{ fill: 'var(--muted)', fontSize: 11 }} stroke="var(--border)" width="auto" allowDecimals />
                <Tooltip
                  formatter={(value) => formatUsd(Number(value))}
                  labelFormatter={(date) => dayLabel(String(date))}
                  contentStyle={{ background: 'var(--surface)', border: '1px solid var(--border)', borderRadius: 6, color: 'var(--text)' }}
                  labelStyle={{ color: 'var(--text)' }}
                  itemStyle={{ color: 'var(--text)' }}
                  cursor={{ fill: 'var(--surface-2)' }}
                />
                {data.series.length > 1 && <Legend wrapperStyle={{ color: 'var(--text)', fontSize: 12 }} />}
                {data.series.map((s) => (
                  <Bar key={s.dataKey} dataKey={s.dataKey} name={s.name} stackId="spend" fill={s.colour} isAnimationActive={false} />
                ))}
              </BarChart>
            </ResponsiveContainer>
          </div>
          {data.groups.length > 0 && (
            <div className="table-wrap">
              <table className="data-table usage-groups">
                <caption className="visually-hidden">Totals by {what}</caption>
                <thead>
                  <tr>
                    <th scope="col">{what === 'key' ? 'Key' : 'Model'}</th>
                    <th scope="col" className="num">
                      Spend
                    </th>
                    <th scope="col" className="num">
                      Requests
                    </th>
                    <th scope="col" className="num">
                      Failed
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {data.groups.map((g, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: the position is the series colour; names may repeat across rest
                    <tr key={`${i}-${g.name}`}>
                      <td>{g.name}</td>
                      <td className="num">{formatUsd(g.spend)}</td>
                      <td className="num">{formatNumber(g.requests)}</td>
                      <td className="num">{formatNumber(g.failed)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}
