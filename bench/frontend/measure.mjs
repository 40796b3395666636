// Frontend benchmark driven by bench/frontend.py: headless Debian Chromium against a real server.
//   node bench/frontend/measure.mjs <config.json>   -> JSON results on stdout
// config: {baseURL, chromium, navigations, many: {email, password}, empty: {email, password}}
// (a) first-screen JS: every script the dashboard route loads for a person whose layout has no
//     widget (so no widget chunk can load), gzipped here per chunk;
// (b) time to interactive of a 30-widget dashboard over N navigations, each in a fresh browser
//     context (cold HTTP cache, signed in by its own refresh cookie);
// (c) frame times (requestAnimationFrame) while a widget is dragged across the grid with the mouse.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { gzipSync } from 'node:zlib'

const require = createRequire(new URL('../../frontend/package.json', import.meta.url))
const { chromium, request } = require('playwright-core')

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'))
const WIDGETS = config.widgets ?? 30
const log = (...args) => process.stderr.write(args.join(' ') + '\n')

const browser = await chromium.launch({
  executablePath: config.chromium,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
})

async function signedInContext(account, viewport = { width: 1366, height: 900 }) {
  const api = await request.newContext({ baseURL: config.baseURL })
  const response = await api.post('/api/auth/login', { data: { email: account.email, password: account.password } })
  if (response.status() !== 200) throw new Error(`sign-in of ${account.email}: ${response.status()}`)
  const storageState = await api.storageState()
  await api.dispose()
  return browser.newContext({ baseURL: config.baseURL, storageState, viewport })
}

// Long tasks and navigation-relative clocks, installed before any app script runs.
const INIT = () => {
  window.__longTasks = []
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__longTasks.push({ start: entry.startTime, end: entry.startTime + entry.duration })
    }).observe({ type: 'longtask', buffered: true })
  } catch {}
}

// ---- (a) first-screen JavaScript ---------------------------------------------------------------
async function firstScreen() {
  const context = await signedInContext(config.empty)
  const page = await context.newPage()
  const scripts = new Map()
  page.on('response', async (response) => {
    const url = response.url()
    if (response.request().resourceType() !== 'script' && !url.endsWith('.js')) return
    try {
      const body = await response.body()
      scripts.set(url, { raw: body.length, gzip: gzipSync(body, { level: 9 }).length })
    } catch {}
  })
  await page.goto('/')
  await page.getByTestId('canvas').waitFor()
  await page.waitForLoadState('networkidle')
  await context.close()
  const chunks = [...scripts.entries()].map(([url, size]) => ({ name: new URL(url).pathname.split('/').pop(), ...size }))
  chunks.sort((a, b) => b.gzip - a.gzip)
  return { chunks, total_gzip: chunks.reduce((s, c) => s + c.gzip, 0), total_raw: chunks.reduce((s, c) => s + c.raw, 0) }
}

// ---- (b) 30-widget dashboard interactive --------------------------------------------------------
const QUIET_MS = 500

async function interactiveOnce() {
  const context = await signedInContext(config.many)
  await context.addInitScript(INIT)
  const page = await context.newPage()
  const widgetChunks = new Set()
  page.on('request', (r) => {
    if (r.resourceType() === 'script') widgetChunks.add(new URL(r.url()).pathname.split('/').pop())
  })
  await page.goto('/', { waitUntil: 'commit' })
  // All frames rendered, each with its widget component in place (no Suspense fallback left).
  const framesAt = await page.waitForFunction(
    (count) => {
      const frames = document.querySelectorAll('.grid-stack-item .frame')
      if (frames.length < count) return false
      if (document.querySelector('.grid-stack-item .frame > .body > .loading')) return false
      return performance.now()
    },
    WIDGETS,
    { polling: 'raf', timeout: 30_000 },
  ).then((handle) => handle.jsonValue())
  // Then the main thread: interactive once no long task has run for QUIET_MS.
  const result = await page.evaluate(async (quiet) => {
    for (;;) {
      const last = window.__longTasks.reduce((m, t) => Math.max(m, t.end), 0)
      const now = performance.now()
      if (now - last >= quiet) {
        return { lastLongTaskEnd: last, longTasks: window.__longTasks.length, longest: window.__longTasks.reduce((m, t) => Math.max(m, t.end - t.start), 0) }
      }
      await new Promise((r) => setTimeout(r, quiet - (now - last)))
    }
  }, QUIET_MS)
  const nav = await page.evaluate(() => {
    const n = performance.getEntriesByType('navigation')[0]
    return { domContentLoaded: n?.domContentLoadedEventEnd ?? 0, load: n?.loadEventEnd ?? 0 }
  })
  await context.close()
  return {
    frames: framesAt,
    interactive: Math.max(framesAt, result.lastLongTaskEnd),
    long_tasks: result.longTasks,
    longest_task: result.longest,
    dom_content_loaded: nav.domContentLoaded,
    scripts: widgetChunks.size,
  }
}

// ---- (c) drag frame rate ------------------------------------------------------------------------
async function dragFrames(widgetId) {
  const context = await signedInContext(config.many)
  const page = await context.newPage()
  await page.goto('/')
  await page.waitForFunction((count) => document.querySelectorAll('.grid-stack-item .frame').length >= count, WIDGETS)
  await page.getByTestId('edit-toggle').click()
  await page.waitForTimeout(1500) // let data requests and charts settle
  const head = page.getByTestId(`widget-${widgetId}`).locator('.widget-drag-handle')
  await head.scrollIntoViewIfNeeded()
  const box = await head.boundingBox()
  const grid = await page.getByTestId('canvas').boundingBox()
  const cdp = await context.newCDPSession(page)
  let x = box.x + 40
  let y = box.y + box.height / 2
  const mouse = (type, buttons) =>
    cdp.send('Input.dispatchMouseEvent', { type, x, y, button: type === 'mouseMoved' && !buttons ? 'none' : 'left', buttons, clickCount: type === 'mouseMoved' ? 0 : 1 })
  await mouse('mouseMoved', 0)
  await mouse('mousePressed', 1)
  await page.evaluate(() => {
    window.__frames = []
    const tick = (t) => {
      window.__frames.push(t)
      if (!window.__stopFrames) requestAnimationFrame(tick)
    }
    window.__stopFrames = false
    requestAnimationFrame(tick)
  })
  // Across the grid and back, down and up: 3 s of moves at ~60 Hz, the pace of a real hand.
  const steps = 180
  const start = { x, y }
  const span = { x: grid.width * 0.55, y: 80 * 4 }
  const began = Date.now()
  let dragging = false
  for (let i = 1; i <= steps; i++) {
    const phase = (i / steps) * Math.PI * 2
    x = start.x + Math.sin(phase) * span.x * (start.x - grid.x < grid.width / 2 ? 1 : -1)
    y = start.y + (1 - Math.cos(phase)) * 0.5 * span.y
    await mouse('mouseMoved', 1)
    if (i === steps / 4) {
      // Proof the drag is real: gridstack is dragging the item and shows its placeholder.
      dragging = await page.evaluate(() => !!document.querySelector('.grid-stack-item.ui-draggable-dragging') && !!document.querySelector('.grid-stack-placeholder'))
    }
    const due = began + i * (1000 / 60)
    const wait = due - Date.now()
    if (wait > 0) await new Promise((r) => setTimeout(r, wait))
  }
  const frames = await page.evaluate(() => {
    window.__stopFrames = true
    return window.__frames
  })
  await mouse('mouseReleased', 0)
  await context.close()
  const deltas = []
  for (let i = 1; i < frames.length; i++) deltas.push(frames[i] - frames[i - 1])
  if (!dragging) throw new Error('the scripted drag did not start a gridstack drag')
  return { deltas, duration: frames.at(-1) - frames[0] }
}

const out = { first_screen: await firstScreen() }
log('first screen JS gzip', out.first_screen.total_gzip)
await (async () => {
  const runs = []
  await interactiveOnce() // warm-up (server caches, Chromium start-up), not counted
  for (let i = 0; i < config.navigations; i++) {
    const run = await interactiveOnce()
    log(`navigation ${i + 1}: frames ${run.frames.toFixed(0)} ms, interactive ${run.interactive.toFixed(0)} ms, long tasks ${run.long_tasks}`)
    runs.push(run)
  }
  out.interactive = runs
})()
out.drag = []
for (let i = 0; i < (config.drags ?? 3); i++) {
  const drag = await dragFrames(config.drag_widget)
  log(`drag ${i + 1}: ${drag.deltas.length} frames in ${drag.duration.toFixed(0)} ms`)
  out.drag.push(drag)
}
await browser.close()
process.stdout.write(JSON.stringify(out))
