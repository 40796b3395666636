// Build @deskboard/sdk for authors outside this repository: sdk/dist/index.js (ES module, vue
// external) and its .d.ts types. The app itself compiles the SDK from source.
import { execFileSync } from 'node:child_process'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'vite'

const frontend = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const sdk = join(frontend, 'sdk')
await build({
  configFile: false,
  root: sdk,
  logLevel: 'warn',
  build: {
    outDir: join(sdk, 'dist'),
    emptyOutDir: true,
    minify: false,
    lib: { entry: join(sdk, 'src/index.ts'), formats: ['es'], fileName: () => 'index.js' },
    rolldownOptions: { external: ['vue'] },
  },
})
execFileSync(join(frontend, 'node_modules/.bin/tsc'), ['-p', join(sdk, 'tsconfig.json')], { stdio: 'inherit' })
console.log(`built @deskboard/sdk -> ${join(sdk, 'dist')}`)
