import { join } from 'node:path'
import { request as playwrightRequest, type APIRequestContext, type Browser, type Page } from '@playwright/test'
import { ACCOUNTS } from '../support/accounts'
import { expect, serverUrl, test } from '../support/fixtures'

/**
 * Drill-down (issue 5): a chart segment, a KPI, a workload bar and an age band each open the ticket
 * list with their filter, and the list shows exactly as many rows as the figure clicked; the
 * filter panel narrows every figure. Screenshots of the analytics widgets, light and dark, desktop
 * and phone.
 */

const shots = join(__dirname, '..', 'artifacts', 'screenshots', 'analytics-widgets')
const run = Date.now().toString(36)
const tag = `dd-${run}`

interface Agent {
  id: number
  email: string
  password: string
  api: APIRequestContext
}

async function freshAgent(): Promise<Agent> {
  const api = await playwrightRequest.newContext({ baseURL: serverUrl() })
  const admin = await api.post('/api/auth/login', { data: { email: ACCOUNTS.admin.email, password: ACCOUNTS.admin.password } })
  const adminToken = ((await admin.json()) as { access_token: string }).access_token
  const email = `agent-${run}@dd.e2e.test`
  const password = 'drill-down-journey-42'
  const created = await api.post('/api/users', {
    data: { email, password, role: 'agent', name: `Dana Drill ${run}` },
    headers: { Authorization: `Bearer ${adminToken}` },
  })
  expect(created.status(), await created.text()).toBe(201)
  const login = await api.post('/api/auth/login', { data: { email, password } })
  const body = (await login.json()) as { access_token: string; user: { id: number } }
  await api.dispose()
  const authed = await playwrightRequest.newContext({
    baseURL: serverUrl(),
    extraHTTPHeaders: { Authorization: `Bearer ${body.access_token}` },
  })
  return { id: body.user.id, email, password, api: authed }
}

async function openAs(browser: Browser, agent: Agent, options: Parameters<Browser['newContext']>[0] = {}): Promise<Page> {
  const api = await playwrightRequest.newContext({ baseURL: serverUrl() })
  expect((await api.post('/api/auth/login', { data: { email: agent.email, password: agent.password } })).status()).toBe(200)
  const storageState = await api.storageState()
  await api.dispose()
  const context = await browser.newContext({ baseURL: serverUrl(), storageState, ...options })
  return context.newPage()
}

/** Click a figure; the list it opens must show as many rows as the figure said. */
async function drillAndCount(page: Page, figure: string, expected: number): Promise<void> {
  await page.getByTestId(figure).first().click()
  await expect(page).toHaveURL(/\/tickets\?filter=/)
  const noun = expected === 1 ? 'ticket' : 'tickets'
  await expect(page.getByTestId('tickets-count')).toHaveText(`${expected} ${noun}`)
  await expect(page.locator('[data-testid^="tickets-row-"]')).toHaveCount(expected)
  await page.goBack()
  await expect(page.getByTestId('canvas')).toBeVisible()
}

test('figures drill down to lists of exactly as many tickets, and follow the filter panel', async ({ browser }) => {
  const agent = await freshAgent()
  const priorities = ['urgent', 'urgent', 'high', 'low', 'low']
  for (const [index, priority] of priorities.entries()) {
    const created = await agent.api.post('/api/tickets', {
      data: { title: `Drill ${index} ${run}`, priority, tags: [tag], assignee_id: index % 2 === 0 ? agent.id : null },
    })
    expect(created.status(), await created.text()).toBe(201)
  }
  const own = { filters: { tag: [tag] }, follow_filter_panel: true }
  const widgets = [
    { id: 'panel', type: 'filter-panel', x: 0, y: 0, w: 3, h: 5, settings: { fields: ['status', 'priority', 'overdue'] } },
    { id: 'open', type: 'kpi', x: 3, y: 0, w: 3, h: 2, settings: { metric: 'open', ...own } },
    { id: 'unassigned', type: 'kpi', x: 6, y: 0, w: 3, h: 2, settings: { metric: 'unassigned', ...own } },
    { id: 'overdue', type: 'kpi', x: 9, y: 0, w: 3, h: 2, settings: { metric: 'overdue', ...own } },
    { id: 'priority', type: 'chart', x: 3, y: 2, w: 5, h: 4, settings: { kind: 'by-priority', ...own } },
    { id: 'flow', type: 'chart', x: 8, y: 2, w: 4, h: 4, settings: { kind: 'created-vs-resolved', range_days: 7, ...own } },
    { id: 'workload', type: 'workload', x: 0, y: 6, w: 6, h: 4, settings: { include_unassigned: true, ...own } },
    { id: 'ageing', type: 'ageing', x: 6, y: 6, w: 6, h: 4, settings: own },
  ]
  const current = await agent.api.get('/api/layout/me')
  const saved =
    current.status() === 404
      ? await agent.api.post('/api/layout/me', { data: { grid: { columns: 12, row_height: 80 }, widgets } })
      : await agent.api.put('/api/layout/me', { data: { ...(await current.json()), widgets } })
  expect([200, 201], await saved.text()).toContain(saved.status())

  const page = await openAs(browser, agent, { viewport: { width: 1366, height: 1000 }, colorScheme: 'light' })
  await page.goto('/')
  await expect(page.getByTestId('chart-segment-urgent')).toContainText('2')
  await expect(page.getByTestId('widget-open').getByTestId('kpi-value')).toHaveText('5')
  await expect(page.getByTestId(`workload-row-${agent.id}`)).toContainText('3')
  await page.waitForLoadState('networkidle')
  await page.screenshot({ path: join(shots, 'desktop-light.png'), fullPage: true })

  await drillAndCount(page, 'chart-segment-urgent', 2)
  await drillAndCount(page, 'chart-segment-low', 2)
  await page.getByTestId('widget-open').getByTestId('kpi-value').click()
  await expect(page.getByTestId('tickets-count')).toHaveText('5 tickets')
  await page.goBack()
  await drillAndCount(page, `workload-row-${agent.id}`, 3)
  await drillAndCount(page, 'ageing-band-lt_1d', 5)

  // The filter panel narrows every figure at once, and the drill-down keeps the narrowing.
  await page.getByTestId('filter-panel-priority-low').click()
  await expect(page.getByTestId('widget-open').getByTestId('kpi-value')).toHaveText('2')
  await expect(page.getByTestId('chart-segment-urgent')).toHaveCount(0)
  await expect(page.getByTestId('chart-segment-low')).toContainText('2')
  await expect(page.getByTestId(`workload-row-${agent.id}`)).toContainText('1')
  await drillAndCount(page, `workload-row-${agent.id}`, 1)
  await drillAndCount(page, 'ageing-band-lt_1d', 2)
  // The choice survives a reload of the tab.
  await page.reload()
  await expect(page.getByTestId('filter-panel-priority-low')).toHaveAttribute('aria-pressed', 'true')
  await expect(page.getByTestId('widget-open').getByTestId('kpi-value')).toHaveText('2')
  await page.waitForLoadState('networkidle')
  await page.screenshot({ path: join(shots, 'desktop-light-filtered.png'), fullPage: true })
  await page.emulateMedia({ colorScheme: 'dark' })
  await page.screenshot({ path: join(shots, 'desktop-dark-filtered.png'), fullPage: true })
  await page.getByTestId('filter-panel-clear').click()
  await expect(page.getByTestId('widget-open').getByTestId('kpi-value')).toHaveText('5')

  for (const colorScheme of ['light', 'dark'] as const) {
    const phone = await openAs(browser, agent, { viewport: { width: 390, height: 844 }, colorScheme })
    await phone.goto('/')
    await expect(phone.getByTestId('chart-segment-urgent')).toContainText('2')
    await phone.waitForLoadState('networkidle')
    await phone.screenshot({ path: join(shots, `phone-${colorScheme}.png`), fullPage: true })
    await phone.context().close()
  }
  await page.context().close()
  await agent.api.dispose()
})
