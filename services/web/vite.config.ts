import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `pnpm dev:web` runs this server with hot reload; /api goes to the running gateway, which keeps the session.
const gateway = process.env.GATEWAY_URL ?? 'http://127.0.0.1:4000';

export default defineConfig({
  plugins: [react()],
  server: { port: 5173, host: '127.0.0.1', proxy: { '/api': { target: gateway, changeOrigin: false } } },
  build: { target: 'es2022', sourcemap: false, manifest: true, chunkSizeWarningLimit: 1500 },
});
