/// <reference types="vitest/config" />
import { fileURLToPath, URL } from 'node:url'
import { defineConfig, type Plugin } from 'vite'
import vue from '@vitejs/plugin-vue'

// The API (FastAPI, `deskboard serve`) listens on 127.0.0.1:8000 by default.
/** Shared with plugins (name -> module): `vue` and `@deskboard/sdk`, nothing else. */
const SHARED: Record<string, string> = {
  vue: 'vue',
  sdk: fileURLToPath(new URL('./sdk/src/index.ts', import.meta.url)),
  // Not shared with plugins: the runtime of the sandboxed plugin frame (the server's frame.html).
  frame: fileURLToPath(new URL('./src/plugins-frame/main.ts', import.meta.url)),
}

/** Where the server finds them (plugin contract §7): the frame page's import map and script. */
const PLUGIN_SHARED = {
  vue: '/assets/shared/vue.js',
  sdk: '/assets/shared/sdk.js',
  frame_sdk: '/assets/shared/sdk.js',
  frame_entry: '/assets/shared/frame.js',
}

/** Writes dist/plugin-shared.json, which the server reads to build the frame page. */
function pluginSharedManifest(): Plugin {
  return {
    name: 'deskboard-plugin-shared',
    apply: 'build',
    generateBundle(_options, bundle) {
      for (const [name, url] of Object.entries(PLUGIN_SHARED)) {
        if (!(url.slice(1) in bundle)) this.error(`shared module ${name} (${url}) was not emitted`)
      }
      this.emitFile({ type: 'asset', fileName: 'plugin-shared.json', source: JSON.stringify(PLUGIN_SHARED, null, 2) })
    },
  }
}

const apiTarget = process.env.DESKBOARD_API_URL ?? 'http://127.0.0.1:8000'

export default defineConfig({
  plugins: [vue(), pluginSharedManifest()],
  resolve: {
    alias: {
      '@': fileURLToPath(new URL('./src', import.meta.url)),
      '@deskboard/sdk': fileURLToPath(new URL('./sdk/src/index.ts', import.meta.url)),
    },
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: apiTarget, changeOrigin: false, ws: true },
    },
  },
  build: {
    // FastAPI serves this folder with an SPA fallback (deskboard/app.py `mount_frontend`).
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 400,
    rolldownOptions: {
      // The modules shared with plugins (index.html's import map) are entries with stable names,
      // and the app imports those very files: one Vue, one SDK in the page.
      input: {
        index: fileURLToPath(new URL('./index.html', import.meta.url)),
        ...Object.fromEntries(Object.entries(SHARED).map(([name, source]) => [name, source])),
      },
      preserveEntrySignatures: 'strict',
      output: {
        entryFileNames: (chunk) =>
          chunk.name in SHARED ? 'assets/shared/[name].js' : 'assets/[name]-[hash].js',
      },
    },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts', 'sdk/src/**/*.test.ts'],
    restoreMocks: true,
  },
})
