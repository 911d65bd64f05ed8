/** The dashboard's build: served by the gateway under /ui/ (so every asset URL starts with /ui/). */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/ui/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 1500 },
  // `npm run dev:ui`: the Vite dev server proxies the admin API to a gateway on :4000.
  server: {
    port: 5173,
    proxy: Object.fromEntries(['/admin', '/key', '/model', '/spend', '/health', '/v1'].map((p) => [p, 'http://localhost:4000'])),
  },
});
