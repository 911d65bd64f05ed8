/**
 * Where the dashboard's master key comes from: the desktop preload, or what the user typed once,
 * kept for this tab's session only (sessionStorage: gone when the tab closes, never shared with other tabs).
 */
import { desktopBridge } from '../desktop-bridge.ts';

const STORAGE_KEY = 'llm-gateway.admin-token';

export async function desktopToken(): Promise<string | undefined> {
  const bridge = desktopBridge();
  if (!bridge) return undefined;
  try {
    return (await bridge.adminToken()) || undefined;
  } catch {
    return undefined;
  }
}

export function storedToken(): string | undefined {
  try {
    return sessionStorage.getItem(STORAGE_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

export function storeToken(token: string | undefined): void {
  try {
    if (token) sessionStorage.setItem(STORAGE_KEY, token);
    else sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // Storage may be disabled (private mode): the key then lasts until the page reloads.
  }
}
