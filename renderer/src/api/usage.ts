/**
 * Usage: totals and per-day spend (the gateway's /admin/usage/*) and the request log (LiteLLM's /spend/logs,
 * paged with x-total-count / x-total-pages). Ranges are whole UTC days, as the gateway counts them.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useApi } from './context.tsx';
import type { SpendLogRow, UsageDaily, UsageSummary } from './types.ts';

export const USAGE_REFETCH_MS = 10_000;
export const REQUESTS_PAGE_SIZE = 50;

export const RANGES = [
  { days: 7, label: 'Last 7 days' },
  { days: 30, label: 'Last 30 days' },
  { days: 90, label: 'Last 90 days' },
] as const;

export interface DateRange {
  start_date: string;
  end_date: string;
}

const DAY_MS = 86_400_000;
const utcDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The last `days` UTC days, today included: `YYYY-MM-DD` bounds (the gateway reads an end date as the whole day). */
export function lastDays(days: number, now = Date.now()): DateRange {
  return { start_date: utcDate(now - (days - 1) * DAY_MS), end_date: utcDate(now) };
}

export function useUsageSummary(range: DateRange) {
  const api = useApi();
  return useQuery({
    queryKey: ['usage', 'summary', range],
    queryFn: () => api.get<UsageSummary>('/admin/usage/summary', { ...range }),
    refetchInterval: USAGE_REFETCH_MS,
    placeholderData: keepPreviousData,
  });
}

export type GroupBy = 'key' | 'model';

export function useUsageDaily(groupBy: GroupBy, range: DateRange) {
  const api = useApi();
  return useQuery({
    queryKey: ['usage', 'daily', groupBy, range],
    queryFn: () => api.get<UsageDaily>('/admin/usage/daily', { group_by: groupBy, ...range }),
    refetchInterval: USAGE_REFETCH_MS,
    placeholderData: keepPreviousData,
  });
}

export interface RequestFilters {
  /** A key's id (the gateway also takes its hash or the raw key). */
  api_key?: string;
  /** A model group. */
  model?: string;
  status?: 'success' | 'failure';
}

export interface RequestPage {
  rows: SpendLogRow[];
  total: number;
  totalPages: number;
}

export function useSpendLogs(range: DateRange, filters: RequestFilters, page: number) {
  const api = useApi();
  return useQuery({
    queryKey: ['usage', 'requests', range, filters, page],
    queryFn: async (): Promise<RequestPage> => {
      const { data, headers } = await api.getWithHeaders<SpendLogRow[]>('/spend/logs', { ...range, ...filters, page, page_size: REQUESTS_PAGE_SIZE });
      const total = Number(headers.get('x-total-count') ?? data.length);
      const totalPages = Number(headers.get('x-total-pages') ?? Math.max(1, Math.ceil(total / REQUESTS_PAGE_SIZE)));
      return { rows: data, total: Number.isFinite(total) ? total : data.length, totalPages: Number.isFinite(totalPages) && totalPages >= 1 ? totalPages : 1 };
    },
    // The newest requests arrive on page 1; later pages hold still while someone reads them.
    refetchInterval: page === 1 ? USAGE_REFETCH_MS : false,
    placeholderData: keepPreviousData,
  });
}
