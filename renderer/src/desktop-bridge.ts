/**
 * What the Electron preload exposes to the dashboard (`window.llmGateway`), seen from the renderer. In a
 * browser it is absent and the dashboard asks for the master key instead. The desktop shell's preload
 * implements this shape; keep the two in step.
 */
export interface DesktopBridge {
  /** The gateway's master key, so a desktop user never types it. */
  adminToken(): Promise<string>;
  appVersion(): Promise<string>;
  /** Opens an allow-listed https link in the system browser. */
  openExternal(url: string): Promise<void>;
  getDesktopSettings(): Promise<{ startAtLogin: boolean; startProxyOnOpen: boolean }>;
  setDesktopSettings(settings: Partial<{ startAtLogin: boolean; startProxyOnOpen: boolean }>): Promise<{ startAtLogin: boolean; startProxyOnOpen: boolean }>;
  revealLogsFolder(): Promise<void>;
}

declare global {
  interface Window {
    llmGateway?: DesktopBridge;
  }
}

export function desktopBridge(): DesktopBridge | undefined {
  return typeof window === 'undefined' ? undefined : window.llmGateway;
}
