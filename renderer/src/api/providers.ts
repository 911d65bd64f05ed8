/**
 * The providers the gateway speaks (GET /admin/providers), from its provider descriptors: what the Add model form
 * offers and which fields each needs. The wire types are the server's own (server/core/provider-info.ts).
 */
import { useQuery } from '@tanstack/react-query';
import type { ProviderInfo, ProvidersAnswer } from '../../../server/core/provider-info.ts';
import { useApi } from './context.tsx';

export type { ProviderInfo, ProvidersAnswer } from '../../../server/core/provider-info.ts';

export function useProviders() {
  const api = useApi();
  return useQuery({
    queryKey: ['providers'],
    queryFn: async (): Promise<ProviderInfo[]> => (await api.get<ProvidersAnswer>('/admin/providers')).data,
    // The list is built into the gateway: it changes only with a new version, which reloads the dashboard.
    staleTime: Number.POSITIVE_INFINITY,
  });
}
