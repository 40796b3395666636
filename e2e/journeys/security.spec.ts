import type { Page } from '@playwright/test'
import { expect, test } from '../support/fixtures'
import { closeOpened, freshPerson, openAs, saveLayout } from '../support/people'
import { DashboardPage } from '../pages/DashboardPage'

test.afterEach(closeOpened)

const TRACKER = 'http://tracker.example'

interface Watch {
  violations: () => Promise<{ directive: string; blocked: string }[]>
  consoleErrors: string[]
  foreignRequests: string[]
}

/** Record CSP violations (as the page sees them), console errors and requests to other hosts. */
async function watch(page: Page, origin: string): Promise<Watch> {
  await page.addInitScript(() => {
    const seen: { directive: string; blocked: string }[] = []
    ;(window as unknown as { __csp: typeof seen }).__csp = seen
    document.addEventListener('securitypolicyviolation', (event) => {
      seen.push({ directive: event.effectiveDirective, blocked: event.blockedURI })
    })
  })
  const consoleErrors: string[] = []
  const foreignRequests: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text())
  })
  page.on('pageerror', (error) => consoleErrors.push(String(error)))
  page.on('request', (request) => {
    const url = request.url()
    if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')) foreignRequests.push(url)
  })
  return {
    violations: () => page.evaluate(() => (window as unknown as { __csp: { directive: string; blocked: string }[] }).__csp),
    consoleErrors,
    foreignRequests,
  }
}

test('the dashboard runs under the CSP: headers set, no violation, remote note images not loaded', async ({ browser, baseURL }) => {
  const person = await freshPerson('agent')
  const markdown = `**Hello** ![pixel](${TRACKER}/pixel.gif?reader=me) and ![logo](/favicon.svg)`
  await saveLayout(person, [{ id: 'n', type: 'note', x: 0, y: 0, w: 6, h: 3, settings: { title: 'Pixel', markdown } }])
  const { context, page } = await openAs(browser, person)
  const seen = await watch(page, baseURL!)

  const response = await page.goto('/')
  const dashboard = new DashboardPage(page)
  await dashboard.ready()
  await dashboard.waitLive() // the WebSocket is admitted by connect-src

  const headers = response!.headers()
  const csp = headers['content-security-policy']!
  const scriptSrc = csp.split(';').find((d) => d.trim().startsWith('script-src'))!
  expect(scriptSrc).toMatch(/'sha256-[A-Za-z0-9+/=]+'/)
  expect(scriptSrc).not.toContain('unsafe-inline')
  expect(csp).not.toContain('unsafe-eval')
  for (const directive of ["frame-ancestors 'none'", "object-src 'none'", "base-uri 'self'", "img-src 'self' data: blob:"]) {
    expect(csp).toContain(directive)
  }
  expect(headers['x-content-type-options']).toBe('nosniff')
  expect(headers['x-frame-options']).toBe('DENY')
  expect(headers['referrer-policy']).toBe('same-origin')
  expect(headers['permissions-policy']).toContain('camera=()')
  expect(headers['strict-transport-security']).toBeUndefined() // plain http here
  expect(headers['access-control-allow-origin']).toBeUndefined()

  // The note shows the remote image as a link; only the same-origin image is an image.
  const note = dashboard.widget('n')
  await expect(note.getByRole('link', { name: 'pixel' })).toHaveAttribute('href', `${TRACKER}/pixel.gif?reader=me`)
  await expect(note.locator('img')).toHaveCount(1)
  await expect(note.locator('img')).toHaveAttribute('src', '/favicon.svg')

  // The refresh cookie cannot be read by scripts nor sent by another site.
  const cookie = (await context.cookies()).find((c) => c.name === 'deskboard_refresh')!
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/api/auth' })

  expect(await seen.violations()).toEqual([])
  expect(seen.consoleErrors).toEqual([])
  expect(seen.foreignRequests).toEqual([])

  // Were the sanitiser ever bypassed, the CSP itself still refuses a remote image.
  await page.evaluate((src) => {
    const image = document.createElement('img')
    image.src = src
    document.body.append(image)
  }, `${TRACKER}/injected.gif`)
  await expect.poll(seen.violations).toEqual([{ directive: 'img-src', blocked: `${TRACKER}/injected.gif` }])
  // (Playwright lists the attempt, which the CSP then stops; the note's pixel was never asked.)
  expect(seen.foreignRequests).toEqual([`${TRACKER}/injected.gif`])
})

test('Swagger UI works from local files under its own CSP', async ({ page, baseURL }) => {
  const seen = await watch(page, baseURL!)
  await page.goto('/api/docs')

  // The first request for the schema builds it: slow on a busy machine.
  await expect(page.getByRole('heading', { name: /Deskboard/ })).toBeVisible({ timeout: 30_000 })
  await expect(page.locator('.opblock').first()).toBeVisible()
  // Opening an operation renders its parameters and schemas (more of Swagger UI's markup).
  await page.locator('.opblock-summary').first().click()
  await expect(page.locator('.opblock-body').first()).toBeVisible()
  await page.locator('.models-control, .models h4').first().click().catch(() => {})
  expect(await seen.violations()).toEqual([])
  expect(seen.foreignRequests).toEqual([])
  expect(seen.consoleErrors).toEqual([])
})

test('another site cannot refresh or end a session with the cookie', async ({ playwright, baseURL }) => {
  const person = await freshPerson('user')
  const api = await playwright.request.newContext({ baseURL })
  try {
    expect((await api.post('/api/auth/login', { data: { email: person.email, password: person.password } })).status()).toBe(200)
    const evil = { Origin: 'https://evil.example' }
    expect((await api.post('/api/auth/refresh', { headers: evil })).status()).toBe(403)
    expect((await api.post('/api/auth/logout', { headers: evil })).status()).toBe(403)
    // The session is intact: the app's own origin refreshes it.
    expect((await api.post('/api/auth/refresh', { headers: { Origin: baseURL! } })).status()).toBe(200)
  } finally {
    await api.dispose()
  }
})
