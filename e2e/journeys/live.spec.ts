import { join } from 'node:path'
import { request as playwrightRequest, type Browser, type BrowserContext, type Page } from '@playwright/test'
import type { Role } from '../support/accounts'
import { expect, serverUrl, test } from '../support/fixtures'
import { ConflictDialog } from '../pages/ConflictDialog'
import { DashboardPage } from '../pages/DashboardPage'
import { LiveStatus } from '../pages/LiveStatus'
import { freshPerson, type Person } from '../support/people'

/*
 * Live updates across sessions (issue 6): two browser contexts signed in as the same person,
 * a requester and an agent, and the socket dropped under a page. Each journey gets a person of
 * its own, so that the layouts it edits never meet another journey's.
 */

const shots = join(__dirname, '..', 'artifacts', 'live')

const contexts: BrowserContext[] = []

test.afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close()
})

/** A new browser context signed in as `person` (its own refresh cookie), on the dashboard, live. */
async function openDashboard(
  browser: Browser,
  person: Person,
  options: { viewport?: { width: number; height: number }; reducedMotion?: 'reduce' | 'no-preference' } = {},
): Promise<{ page: Page; dashboard: DashboardPage; live: LiveStatus }> {
  const api = await playwrightRequest.newContext({ baseURL: serverUrl() })
  const login = await api.post('/api/auth/login', { data: { email: person.email, password: person.password } })
  expect(login.status()).toBe(200)
  const storageState = await api.storageState()
  await api.dispose()
  const context = await browser.newContext({ baseURL: serverUrl(), storageState, ...options })
  contexts.push(context)
  const page = await context.newPage()
  page.on('pageerror', (error) => console.log(`[page error] ${error.message}`))
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') console.log(`[console ${message.type()}] ${message.text()}`)
  })
  const dashboard = new DashboardPage(page)
  await dashboard.goto()
  const live = new LiveStatus(page)
  await live.expectConnection('live')
  await expect(dashboard.widgets.first()).toBeVisible()
  return { page, dashboard, live }
}

/** The person's API, as another device or script would use it (no client id: every tab hears of it). */
async function apiCall<T>(person: Person, method: 'GET' | 'POST' | 'PUT', path: string, data?: unknown): Promise<{ status: number; body: T }> {
  const api = await playwrightRequest.newContext({ baseURL: serverUrl() })
  try {
    const response = await api.fetch(path, { method, data, headers: { Authorization: `Bearer ${person.token}` } })
    return { status: response.status(), body: (await response.json().catch(() => null)) as T }
  } finally {
    await api.dispose()
  }
}

interface LayoutDoc {
  version: number
  grid: { columns: number; row_height: number }
  widgets: Array<{ id: string; type: string; x: number; y: number; w: number; h: number; settings: Record<string, unknown> }>
}

/** Save a change to the person's layout from elsewhere (create it from the role template if none). */
async function changeLayoutElsewhere(person: Person, role: Role, change: (doc: LayoutDoc) => LayoutDoc): Promise<LayoutDoc> {
  const current = await apiCall<LayoutDoc>(person, 'GET', '/api/layout/me')
  if (current.status === 404) {
    const template = await apiCall<LayoutDoc>(person, 'GET', `/api/layout-templates/${role}`)
    const first = change({ version: 0, grid: template.body.grid, widgets: template.body.widgets })
    const created = await apiCall<LayoutDoc>(person, 'POST', '/api/layout/me', { grid: first.grid, widgets: first.widgets })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    return created.body
  }
  const saved = await apiCall<LayoutDoc>(person, 'PUT', '/api/layout/me', change(current.body))
  expect(saved.status, JSON.stringify(saved.body)).toBe(200)
  return saved.body
}

async function expectOk(response: import('@playwright/test').Response): Promise<void> {
  expect(response.ok(), `${response.request().method()} ${response.url()}: ${response.status()} ${await response.text()}`).toBe(true)
}

/** The page in light and in dark (`<name>-light.png`, `<name>-dark.png`), after the theme's transitions settle. */
async function shootBothThemes(page: Page, name: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme })
    await page.waitForTimeout(400) // colours fade over 150 ms
    await page.screenshot({ path: join(shots, `${name}-${scheme}.png`) })
  }
  await page.emulateMedia({ colorScheme: 'light' })
}

function lowestFreeRow(doc: LayoutDoc): number {
  return doc.widgets.reduce((bottom, w) => Math.max(bottom, w.y + w.h), 0)
}

function withNote(id: string, markdown: string) {
  return (doc: LayoutDoc): LayoutDoc => ({
    ...doc,
    widgets: [...doc.widgets, { id, type: 'note', x: 0, y: lowestFreeRow(doc), w: 3, h: 3, settings: { title: id, markdown } }],
  })
}

test.describe('live updates between two windows of one person', () => {
  test('a widget added in one window appears in the other within a second of its save', async ({ browser }) => {
    const person = await freshPerson('user')
    const one = await openDashboard(browser, person)
    const two = await openDashboard(browser, person)
    const still = await openDashboard(browser, person, { reducedMotion: 'reduce' })
    const before = await one.dashboard.widgetIds()
    expect(await two.dashboard.widgetIds()).toEqual(before)

    await one.dashboard.startEditing()
    await one.page.getByTestId('gallery-open').click()
    await expect(one.page.getByTestId('gallery')).toBeVisible()
    // Caught the moment it shows (it lasts 1.6 s): how the highlight looks with reduced motion.
    const stillFlash = still.page.waitForFunction(
      () => {
        const el = document.querySelector('[data-live-flash]')
        if (!el) return null
        const style = getComputedStyle(el)
        return { animation: style.animationName, outline: style.outlineStyle }
      },
      null,
      { polling: 'raf', timeout: 10_000 },
    )
    const saved = one.live.nextLayoutWrite()
    await one.page.getByTestId('gallery-card-note').click()
    await expectOk(await saved)
    await expect(one.dashboard.saveStatus).toHaveText('saved')
    const savedAt = Date.now()
    const added = (await one.dashboard.widgetIds()).filter((id) => !before.includes(id))
    expect(added).toHaveLength(1)

    // The other window shows it at once, without a reload, and highlights it.
    await expect(two.dashboard.widget(added[0]!)).toBeVisible({ timeout: 1000 })
    const seenAfter = Date.now() - savedAt
    await expect(two.dashboard.widget(added[0]!).locator('[data-live-flash]')).toHaveCount(1, { timeout: 1000 })
    await two.page.screenshot({ path: join(shots, 'remote-flash.png') })
    expect(await two.dashboard.widgetIds()).toEqual(await one.dashboard.widgetIds())
    test.info().annotations.push({ type: 'latency', description: `shown in the other window ${seenAfter} ms after "saved"` })
    await expect(two.page.getByTestId('remote-announcement')).toHaveText('Dashboard updated from another window: 1 widget changed.')
    // The other window was not editing: nothing to decide, no banner.
    await expect(two.live.remoteBanner).toHaveCount(0)
    // With reduced motion the highlight is a still outline, not an animation.
    expect(await (await stillFlash).jsonValue()).toEqual({ animation: 'none', outline: 'solid' })
  })

  test('edit mode in both windows shows each that the other is editing, before any conflict', async ({ browser }) => {
    const person = await freshPerson('user')
    const one = await openDashboard(browser, person)
    const two = await openDashboard(browser, person)
    await expect(one.live.presence).toHaveCount(0)

    await one.dashboard.startEditing()
    // The window that is not editing already knows.
    await expect(two.live.presence).toContainText('also being edited in another window')
    await two.dashboard.startEditing()
    await expect(one.live.presence).toContainText('also being edited in another window')
    await expect(two.live.presence).toContainText('also being edited in another window')
    await expect(one.live.presence).toHaveAttribute('role', 'status')
    await expect(one.page.getByTestId('conflict-dialog')).toHaveCount(0)

    await shootBothThemes(one.page, 'presence')

    await two.dashboard.stopEditing()
    await expect(one.live.presence).toHaveCount(0)
    await one.dashboard.stopEditing()
    await expect(two.live.presence).toHaveCount(0)
  })

  test('an update that arrives during an edit asks to merge or discard, and merge keeps both', async ({ browser }) => {
    const person = await freshPerson('user')
    const one = await openDashboard(browser, person)
    await one.dashboard.startEditing()

    // The edit in progress here: a note added and saved.
    const before = await one.dashboard.widgetIds()
    await one.page.getByTestId('gallery-open').click()
    const saved = one.live.nextLayoutWrite()
    await one.page.getByTestId('gallery-card-note').click()
    await expectOk(await saved)
    const mine = (await one.dashboard.widgetIds()).filter((id) => !before.includes(id))[0]!
    await one.page.getByTestId('gallery-close').click()

    // Another device saves its own change meanwhile.
    await changeLayoutElsewhere(person, 'user', withNote('elsewhere', 'Added **elsewhere**'))
    await expect(one.live.remoteBanner).toBeVisible()
    await expect(one.live.remoteBanner).toContainText('changed in another window while you were editing')
    await expect(one.live.remoteMerge).toBeVisible()
    await expect(one.live.remoteDiscard).toBeVisible()
    // Nothing was replaced behind the person's back.
    await expect(one.dashboard.widget('elsewhere')).toHaveCount(0)
    await expect(one.dashboard.widget(mine)).toBeVisible()

    await shootBothThemes(one.page, 'remote-change')

    await one.live.remoteMerge.click()
    await expect(one.live.remoteBanner).toHaveCount(0)
    await expect(one.dashboard.widget('elsewhere')).toBeVisible()
    await expect(one.dashboard.widget(mine)).toBeVisible()
    await expect(one.dashboard.widget('elsewhere').locator('[data-live-flash]')).toHaveCount(1)
    await expect(one.dashboard.saveStatus).toHaveText('saved')
  })

  test('discard takes the other version; the same widget changed on both sides asks in the conflict dialog', async ({ browser }) => {
    const person = await freshPerson('user')
    await changeLayoutElsewhere(person, 'user', withNote('shared', 'first'))
    const one = await openDashboard(browser, person)
    await one.dashboard.startEditing()

    // Discard: the other version replaces this one when the person says so.
    await changeLayoutElsewhere(person, 'user', withNote('theirs-1', 'from elsewhere'))
    await expect(one.live.remoteBanner).toBeVisible()
    await one.live.remoteDiscard.click()
    await expect(one.live.remoteBanner).toHaveCount(0)
    await expect(one.dashboard.widget('theirs-1')).toBeVisible()

    // Both sides change the title of the same note: the save here meets a conflict.
    await changeLayoutElsewhere(person, 'user', (doc) => ({
      ...doc,
      widgets: doc.widgets.map((w) => (w.id === 'shared' ? { ...w, settings: { ...w.settings, title: 'Their title' } } : w)),
    }))
    await expect(one.live.remoteBanner).toBeVisible()
    await one.dashboard.page.getByTestId('widget-menu-shared').click()
    await one.dashboard.page.getByTestId('widget-settings-shared').click()
    const dialog = one.page.getByTestId('settings-dialog')
    await expect(dialog).toBeVisible()
    await dialog.getByTestId('settings-field-title').locator('input').fill('My title')
    await dialog.getByTestId('settings-save').click()

    const conflict = new ConflictDialog(one.page)
    await expect(conflict.dialog).toBeVisible()
    await expect(conflict.row('shared')).toContainText('title “My title”')
    await expect(conflict.row('shared')).toContainText('title “Their title”')
    await expect(conflict.keepMine).toBeFocused()
    await shootBothThemes(one.page, 'conflict')

    await conflict.keepMine.click()
    await expect(conflict.dialog).toHaveCount(0)
    await expect(one.live.remoteBanner).toHaveCount(0)
    await expect(one.dashboard.saveStatus).toHaveText('saved')
    await expect(one.dashboard.widget('shared')).toContainText('My title')
    const stored = await apiCall<LayoutDoc>(person, 'GET', '/api/layout/me')
    expect(stored.body.widgets.find((w) => w.id === 'shared')?.settings.title).toBe('My title')
  })
})

test('on a phone the presence notice and the merge/discard banner fit the screen', async ({ browser }) => {
  const person = await freshPerson('user')
  const phone = await openDashboard(browser, person, { viewport: { width: 390, height: 844 } })
  const desk = await openDashboard(browser, person)
  await phone.dashboard.startEditing()
  await desk.dashboard.startEditing()
  await expect(phone.live.presence).toBeVisible()
  await changeLayoutElsewhere(person, 'user', withNote('from-desk', 'hello'))
  await expect(phone.live.remoteBanner).toBeVisible()
  const width = await phone.page.evaluate(() => document.documentElement.scrollWidth)
  expect(width).toBeLessThanOrEqual(390) // nothing runs off the side
  await shootBothThemes(phone.page, 'phone-banner')
  await phone.live.remoteMerge.click()
  await expect(phone.dashboard.widget('from-desk')).toBeVisible()
})

test("an agent's status change shows in the requester's open ticket list without a reload", async ({ browser, apiAs }) => {
  const requester = await freshPerson('user')
  const created = await apiCall<{ id: number; version: number; status: string }>(requester, 'POST', '/api/tickets', {
    title: 'Live: printer on fire',
    description: 'Smoke from tray 2.',
  })
  expect(created.status).toBe(201)
  const ticket = created.body

  const { page } = await openDashboard(browser, requester)
  const row = page.getByTestId(`ticket-row-${ticket.id}`)
  await expect(row).toBeVisible()
  await expect(row).toContainText(/new/i)
  let reloaded = false
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) reloaded = true
  })

  const agent = await apiAs('agent')
  const changed = await agent.send<{ status: string }>('PUT', `/api/tickets/${ticket.id}`, { version: ticket.version, status: 'pending' })
  expect(changed.status).toBe(200)
  const changedAt = Date.now()
  await expect(row).toContainText(/pending/i, { timeout: 3000 })
  test.info().annotations.push({ type: 'latency', description: `status shown ${Date.now() - changedAt} ms after the agent's change` })
  await expect(row).toHaveAttribute('data-live-flash', '') // the changed row is highlighted
  expect(reloaded).toBe(false)
})

test.describe('the connection indicator', () => {
  test('shows reconnecting when the server drops the socket, and connected again once it is back', async ({ browser }) => {
    const person = await freshPerson('user')
    const api = await playwrightRequest.newContext({ baseURL: serverUrl() })
    const login = await api.post('/api/auth/login', { data: { email: person.email, password: person.password } })
    expect(login.status()).toBe(200)
    const context = await browser.newContext({ baseURL: serverUrl(), storageState: await api.storageState() })
    await api.dispose()
    const page = await context.newPage()

    // Stand between the page and the server: pass everything through, drop it on demand.
    let refuse = false
    const open: Array<{ close: (o?: { code?: number; reason?: string }) => Promise<void> }> = []
    await page.routeWebSocket(/\/api\/ws$/, (ws) => {
      if (refuse) {
        void ws.close({ code: 1011, reason: 'Server unavailable' })
        return
      }
      ws.connectToServer()
      open.push(ws)
    })

    const dashboard = new DashboardPage(page)
    await dashboard.goto()
    const live = new LiveStatus(page)
    await live.expectConnection('live')
    await expect(live.connection).toHaveAttribute('role', 'status')

    refuse = true
    for (const ws of open.splice(0)) await ws.close({ code: 1011, reason: 'Server error' })
    await live.expectConnection('reconnecting')
    await page.screenshot({ path: join(shots, 'reconnecting.png'), clip: { x: 0, y: 0, width: 1366, height: 64 } })
    refuse = false
    // The client retries with backoff (1 s, 2 s, ... with jitter).
    await live.expectConnection('live', 15_000)

    // The browser loses the network altogether: offline, then back.
    await context.setOffline(true)
    await live.expectConnection('offline')
    await expect(dashboard.saveStatus).toHaveText(/saved|offline/)
    await context.setOffline(false)
    await live.expectConnection('live', 15_000)
    await context.close()
  })
})

test('a KPI figure follows ticket events and is highlighted when it changes', async ({ browser }) => {
  const agent = await freshPerson('agent')
  const requester = await freshPerson('user')
  const { page } = await openDashboard(browser, agent)
  const open = page.getByTestId('widget-kpi-open').getByTestId('kpi-value')
  await expect(open).toBeVisible()
  const before = Number((await open.innerText()).replace(/\D/g, ''))

  const created = await apiCall<{ id: number }>(requester, 'POST', '/api/tickets', { title: 'Live: KPI moves' })
  expect(created.status).toBe(201)
  await expect(open).toHaveText(String(before + 1), { timeout: 3000 })
  await expect(open).toHaveAttribute('data-live-flash', '')
})

test('tabs of one browser opened at once all stay signed in and live (refreshes take turns)', async ({ signIn }) => {
  // One context = one cookie jar, as tabs of one browser share it. Each tab trades the rotating
  // refresh cookie at start; done together, the second use of one cookie would end the session.
  const first = await signIn('user')
  const tabs = [first, await first.context().newPage(), await first.context().newPage()]
  await Promise.all(tabs.map((tab) => tab.goto('/')))
  for (const tab of tabs) {
    await expect(tab).not.toHaveURL(/\/login/)
    await new LiveStatus(tab).expectConnection('live')
  }
  const later = await first.evaluate(async () => (await fetch('/api/auth/refresh', { method: 'POST' })).status)
  expect(later).toBe(200) // the session was never revoked
})
