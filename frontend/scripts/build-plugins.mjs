// Build the example plugins' front ends (plugins/*/frontend) into their Python packages'
// static folders, with this repository's Vite: an ES module per plugin, `vue` and
// `@deskboard/sdk` left as bare imports (the page's import map provides them), CSS beside it.
// The outputs are committed so `pip install plugins/<name>` needs no Node.
//   node scripts/build-plugins.mjs            every example
//   node scripts/build-plugins.mjs oncall     one
import { existsSync, readdirSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'vite'
import vue from '@vitejs/plugin-vue'

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const SHARED = ['vue', '@deskboard/sdk']

export function pluginBuildConfig(name, root, outDir) {
  return {
    configFile: false,
    root,
    logLevel: 'warn',
    plugins: [vue()],
    build: {
      outDir,
      emptyOutDir: true,
      minify: true,
      sourcemap: false,
      lib: { entry: join(root, 'src/index.ts'), formats: ['es'], fileName: () => `${name}.js`, cssFileName: name },
      rolldownOptions: { external: (id) => SHARED.includes(id) },
    },
  }
}

const wanted = process.argv.slice(2)
const names = readdirSync(join(repo, 'plugins')).filter(
  (name) => existsSync(join(repo, 'plugins', name, 'frontend/src/index.ts')) && (!wanted.length || wanted.includes(name)),
)
for (const name of names) {
  const root = join(repo, 'plugins', name, 'frontend')
  const outDir = join(repo, 'plugins', name, 'src', `deskboard_${name.replace(/-/g, '_')}`, 'static')
  await build(pluginBuildConfig(name, root, outDir))
  console.log(`built ${name} -> ${outDir}`)
}
