// Plugin widget cost, driven by bench/plugins.py: the same small dashboard with and without one
// plugin widget (in the page, or in a sandboxed frame), each navigation in a fresh browser
// context (cold HTTP cache).
//   node bench/frontend/plugins.mjs <config.json>   -> JSON results on stdout
// config: {baseURL, chromium, navigations, people: {variant: {email, password, widgets}}}
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

const require = createRequire(new URL('../../frontend/package.json', import.meta.url))
const { chromium, request } = require('playwright-core')

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'))
const log = (...args) => process.stderr.write(args.join(' ') + '\n')
const QUIET_MS = 500

const browser = await chromium.launch({
  executablePath: config.chromium,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
})

const INIT = () => {
  window.__longTasks = []
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__longTasks.push({ start: entry.startTime, end: entry.startTime + entry.duration })
    }).observe({ type: 'longtask', buffered: true })
  } catch {}
}

async function once(person) {
  const api = await request.newContext({ baseURL: config.baseURL })
  const response = await api.post('/api/auth/login', { data: { email: person.email, password: person.password } })
  if (response.status() !== 200) throw new Error(`sign-in: ${response.status()}`)
  const storageState = await api.storageState()
  await api.dispose()
  const context = await browser.newContext({ baseURL: config.baseURL, storageState, viewport: { width: 1366, height: 900 } })
  await context.addInitScript(INIT)
  const page = await context.newPage()
  let pluginBytes = 0
  page.on('response', async (r) => {
    if (!new URL(r.url()).pathname.startsWith('/plugins/')) return
    try {
      pluginBytes += (await r.body()).length
    } catch {}
  })
  await page.goto('/', { waitUntil: 'commit' })
  // Every frame rendered with its component (no loading fallback), every plugin widget ready.
  const ready = await page
    .waitForFunction(
      (count) => {
        if (document.querySelectorAll('.grid-stack-item .frame').length < count) return false
        if (document.querySelector('.grid-stack-item .frame > .body > .loading')) return false
        if (document.querySelector('[data-plugin-state="loading"], [data-plugin-state="error"]')) return false
        return performance.now()
      },
      person.widgets,
      { polling: 'raf', timeout: 30_000 },
    )
    .then((h) => h.jsonValue())
  const quiet = await page.evaluate(async (q) => {
    for (;;) {
      const last = window.__longTasks.reduce((m, t) => Math.max(m, t.end), 0)
      const now = performance.now()
      if (now - last >= q) return last
      await new Promise((r) => setTimeout(r, q - (now - last)))
    }
  }, QUIET_MS)
  // The host's own measure of the plugin widget: from its setup to the widget mounted.
  const plugin = await page.evaluate(() => {
    const m = performance.getEntriesByType('measure').find((e) => e.name.startsWith('deskboard.plugin '))
    return m ? { start: m.startTime, duration: m.duration, end: m.startTime + m.duration } : null
  })
  await context.close()
  return { ready, interactive: Math.max(ready, quiet), plugin_bytes: pluginBytes, plugin }
}

const out = {}
for (const [variant, person] of Object.entries(config.people)) await once(person) // warm-up
for (let i = 0; i < config.navigations; i++) {
  // Interleaved, so a busy moment of the machine falls on every variant alike.
  for (const [variant, person] of Object.entries(config.people)) {
    const run = await once(person)
    ;(out[variant] ??= []).push(run)
    log(`${variant} ${i + 1}: ready ${run.ready.toFixed(0)} ms, interactive ${run.interactive.toFixed(0)} ms, plugin ${JSON.stringify(run.plugin)}`)
  }
}
await browser.close()
process.stdout.write(JSON.stringify(out))
