/** Usage: totals for a range, spend per day by key or model, and the request log with its details. */
import { useState } from 'react';
import { RANGES, lastDays } from '../api/usage.ts';
import { SelectField } from '../components/Field.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { RequestLog } from './usage/RequestLog.tsx';
import { SpendChart } from './usage/SpendChart.tsx';
import { UsageTotals } from './usage/UsageTotals.tsx';

export function UsagePage() {
  const [days, setDays] = useState<number>(30);
  // Whole UTC days, today included; recomputed each render so the range follows midnight.
  const range = lastDays(days);
  return (
    <section className="page usage-page">
      <PageHeader
        title="Usage"
        description={`${range.start_date} to ${range.end_date} (UTC). Updates every few seconds.`}
        actions={
          <SelectField
            label="Range"
            options={RANGES.map((r) => ({ value: String(r.days), label: r.label }))}
            value={String(days)}
            onChange={(e) => setDays(Number(e.currentTarget.value))}
          />
        }
      />
      <UsageTotals range={range} />
      <SpendChart range={range} />
      <RequestLog range={range} />
    </section>
  );
}
