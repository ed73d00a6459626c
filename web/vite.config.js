import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import { fileURLToPath, URL } from 'node:url'

// The C++ server serves dist/ and the API on the same origin. For `npm run dev`, point SY_API at a
// running server (default http://127.0.0.1:8080) and Vite proxies /api to it.
export default defineConfig({
  plugins: [vue()],
  base: '/',
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    proxy: {
      '/api': { target: process.env.SY_API || 'http://127.0.0.1:8080', changeOrigin: false },
      '/healthz': { target: process.env.SY_API || 'http://127.0.0.1:8080' },
    },
  },
})
