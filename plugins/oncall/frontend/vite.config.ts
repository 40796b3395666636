// Standalone build (an author outside the Deskboard repository): `npm install && npm run build`.
// Inside the repository, frontend/scripts/build-plugins.mjs builds every example with the same
// settings and the repository's node_modules.
import { fileURLToPath, URL } from 'node:url'
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

export default defineConfig({
  plugins: [vue()],
  build: {
    outDir: fileURLToPath(new URL('../src/deskboard_oncall/static', import.meta.url)),
    emptyOutDir: true,
    lib: { entry: 'src/index.ts', formats: ['es'], fileName: () => 'oncall.js', cssFileName: 'oncall' },
    rolldownOptions: { external: ['vue', '@deskboard/sdk'] },
  },
})
