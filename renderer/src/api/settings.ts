/**
 * Queries and actions for the Settings page: the gateway's settings, master-key rotation, config.yaml export
 * and import (dry run, then apply), and the desktop app's own settings when the preload offers them.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { desktopBridge } from '../desktop-bridge.ts';
import { ApiError } from './client.ts';
import { useApi, useSession } from './context.tsx';
import type { ConfigImportRequest, ConfigImportResult, GatewaySettings, ImportIssue, RotatedMasterKey } from './types.ts';

export function useSettings() {
  const api = useApi();
  return useQuery({ queryKey: ['settings'], queryFn: () => api.get<GatewaySettings>('/admin/settings') });
}

/** The secret store in use ('keychain', 'file' or 'memory'); undefined until the settings have loaded. */
export function useSecretStoreKind(): GatewaySettings['secret_store']['kind'] | undefined {
  return useSettings().data?.secret_store.kind;
}

/**
 * Rotates the master key. The old key stops working at once, so the session switches to the new one before
 * anything else is asked of the gateway; the settings' masked key is updated from the answer.
 */
export function useRotateMasterKey() {
  const api = useApi();
  const { signIn } = useSession();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<RotatedMasterKey>('/admin/master-key/rotate'),
    onSuccess: (rotated) => {
      signIn(rotated.master_key);
      queryClient.setQueryData<GatewaySettings>(['settings'], (old) =>
        old ? { ...old, master_key: { ...old.master_key, set: true, masked: rotated.masked } } : old,
      );
    },
  });
}

/** config.yaml as the gateway exports it (secrets as references), saved by the browser as a download. */
export function useExportConfig() {
  const api = useApi();
  return useMutation({
    mutationFn: async () => {
      const text = await api.getText('/admin/config/export');
      downloadText(text, 'config.yaml', 'application/yaml');
      return text;
    },
  });
}

/** Saves `text` as a file through a temporary <a download> (works in browsers and in the Electron window). */
export function downloadText(text: string, filename: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
  // Revoked a little later: some browsers start reading the blob only after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export type { ImportIssue };

/** The issues list of a rejected import, wherever the answer carries it (error.issues or issues). */
export function importIssues(error: unknown): ImportIssue[] {
  if (!(error instanceof ApiError)) return [];
  const body = error.body as { issues?: unknown; error?: { issues?: unknown } } | undefined;
  const list = body?.error?.issues ?? body?.issues;
  return Array.isArray(list) ? (list as ImportIssue[]).filter((i) => i && typeof i.message === 'string') : [];
}

/** POST /admin/config/import: a dry run (the diff) or, with apply, the change itself; after applying, every query is stale. */
export function useImportConfig() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ yaml, apply }: Required<ConfigImportRequest>) => api.post<ConfigImportResult>('/admin/config/import', { yaml, apply }),
    onSuccess: (result) => {
      if (result.applied) void queryClient.invalidateQueries();
    },
  });
}

export interface DesktopSettings {
  startAtLogin: boolean;
  startProxyOnOpen: boolean;
}

/** The desktop shell's own settings (absent in a browser: the query is then disabled). */
export function useDesktopSettings() {
  const bridge = desktopBridge();
  return useQuery({
    queryKey: ['desktop-settings'],
    queryFn: () => bridge!.getDesktopSettings(),
    enabled: Boolean(bridge),
  });
}

export function useSetDesktopSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (change: Partial<DesktopSettings>) => desktopBridge()!.setDesktopSettings(change),
    onMutate: async (change) => {
      await queryClient.cancelQueries({ queryKey: ['desktop-settings'] });
      const before = queryClient.getQueryData<DesktopSettings>(['desktop-settings']);
      if (before) queryClient.setQueryData<DesktopSettings>(['desktop-settings'], { ...before, ...change });
      return { before };
    },
    onError: (_error, _change, context) => {
      if (context?.before) queryClient.setQueryData(['desktop-settings'], context.before);
    },
    onSuccess: (settings) => queryClient.setQueryData(['desktop-settings'], settings),
  });
}
