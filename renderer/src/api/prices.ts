/**
 * The price table (GET/POST/DELETE /admin/prices): which table prices calls, and updating it from a URL or an
 * uploaded file, or going back to the bundled one. A change reprices the gateway at once, so the models page
 * (which flags unpriced deployments) and the settings are asked again.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi } from './context.tsx';
import { modelKeys } from './models.ts';
import type { PriceTableStatus, PriceTableUpdate } from './types.ts';

export const priceKeys = { status: ['prices'] as const };

export function usePriceTable() {
  const api = useApi();
  return useQuery({ queryKey: priceKeys.status, queryFn: () => api.get<PriceTableStatus>('/admin/prices') });
}

function useAfterChange() {
  const queryClient = useQueryClient();
  return (status: PriceTableStatus) => {
    queryClient.setQueryData(priceKeys.status, status);
    void queryClient.invalidateQueries({ queryKey: modelKeys.all });
    void queryClient.invalidateQueries({ queryKey: ['settings'] });
  };
}

export function useUpdatePrices() {
  const api = useApi();
  const onSuccess = useAfterChange();
  return useMutation({ mutationFn: (update: PriceTableUpdate) => api.post<PriceTableStatus>('/admin/prices', update), onSuccess });
}

export function useRevertPrices() {
  const api = useApi();
  const onSuccess = useAfterChange();
  return useMutation({ mutationFn: () => api.delete<PriceTableStatus>('/admin/prices'), onSuccess });
}
