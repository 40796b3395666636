import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { request as playwrightRequest, type Browser, type BrowserContext, type Page } from '@playwright/test'
import { ACCOUNTS, type Role } from '../support/accounts'
import { expect, serverUrl, test } from '../support/fixtures'
import { DashboardPage } from '../pages/DashboardPage'
import { TicketWidgets } from '../pages/TicketWidgets'

/**
 * Issue 5's journey: an agent works tickets from the dashboard (filter panel driving the list and
 * a chart, inline status change, the ticket drawer, an internal note) while a requester files a
 * ticket from the New ticket widget and cannot see the note.
 */

const shots = join(__dirname, '..', 'artifacts', 'screenshots', 'work-from-dashboard')
const chartLanded = existsSync(join(__dirname, '..', '..', 'frontend', 'src', 'widgets', 'chart', 'index.ts'))
const run = Date.now().toString(36)
const tag = `wfd-${run}`

interface Person {
  email: string
  password: string
  token: string
  id: number
}

interface Ticket {
  id: number
  number: number
  title: string
  status: string
  version: number
}

/** A person of this journey's own (its layout edits never meet another journey's). */
async function freshPerson(role: Role): Promise<Person> {
  const api = await playwrightRequest.newContext({ baseURL: serverUrl() })
  try {
    const admin = await api.post('/api/auth/login', { data: { email: ACCOUNTS.admin.email, password: ACCOUNTS.admin.password } })
    const adminToken = ((await admin.json()) as { access_token: string }).access_token
    const email = `${role}-${run}@wfd.e2e.test`
    const password = 'work-from-dashboard-42'
    const created = await api.post('/api/users', {
      data: { email, password, role, name: role === 'agent' ? `Agnes Agent ${run}` : `Rob Requester ${run}` },
      headers: { Authorization: `Bearer ${adminToken}` },
    })
    expect(created.status(), await created.text()).toBe(201)
    const login = await api.post('/api/auth/login', { data: { email, password } })
    const body = (await login.json()) as { access_token: string; user: { id: number } }
    return { email, password, token: body.access_token, id: body.user.id }
  } finally {
    await api.dispose()
  }
}

async function call<T>(person: Person, method: string, path: string, data?: unknown): Promise<{ status: number; body: T }> {
  const api = await playwrightRequest.newContext({ baseURL: serverUrl() })
  try {
    const response = await api.fetch(path, { method, data, headers: { Authorization: `Bearer ${person.token}` } })
    return { status: response.status(), body: (await response.json().catch(() => null)) as T }
  } finally {
    await api.dispose()
  }
}

/** Save the person's dashboard through the API (POST the first time, PUT with the version after). */
async function saveLayout(person: Person, widgets: unknown[]): Promise<void> {
  const grid = { columns: 12, row_height: 80 }
  const current = await call<{ version: number }>(person, 'GET', '/api/layout/me')
  const saved =
    current.status === 404
      ? await call(person, 'POST', '/api/layout/me', { grid, widgets })
      : await call(person, 'PUT', '/api/layout/me', { ...current.body, grid, widgets })
  expect([200, 201], JSON.stringify(saved.body)).toContain(saved.status)
}

async function openAs(
  browser: Browser,
  person: Person,
  options: { viewport?: { width: number; height: number }; colorScheme?: 'light' | 'dark' } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const api = await playwrightRequest.newContext({ baseURL: serverUrl() })
  const response = await api.post('/api/auth/login', { data: { email: person.email, password: person.password } })
  expect(response.status()).toBe(200)
  const storageState = await api.storageState()
  await api.dispose()
  const context = await browser.newContext({ baseURL: serverUrl(), storageState, ...options })
  return { context, page: await context.newPage() }
}

async function newTicket(person: Person, title: string, priority: string): Promise<Ticket> {
  const created = await call<Ticket>(person, 'POST', '/api/tickets', { title, priority, tags: [tag], description: `Filed by the ${run} journey` })
  expect(created.status, JSON.stringify(created.body)).toBe(201)
  return created.body
}

test('an agent works tickets from the dashboard; a requester files one and cannot see internal notes', async ({ browser, apiAs }) => {
  const agent = await freshPerson('agent')
  const requester = await freshPerson('user')
  const urgent = await newTicket(requester, `Printer on fire ${run}`, 'urgent')
  const low = await newTicket(requester, `Mouse squeaks ${run}`, 'low')

  // The agent's dashboard: filter panel, the queue (this journey's tag) following it, a chart,
  // notifications and activity. The requester's: the New ticket form and their own tickets.
  const queueFilter = { tag: [tag] }
  await saveLayout(agent, [
    { id: 'panel', type: 'filter-panel', x: 0, y: 0, w: 3, h: 6, settings: { fields: ['status', 'priority', 'q'] } },
    {
      id: 'queue',
      type: 'ticket-list',
      x: 3,
      y: 0,
      w: 9,
      h: 6,
      settings: { title: 'Queue', filters: queueFilter, follow_filter_panel: true, columns: ['number', 'title', 'status', 'priority', 'assignee', 'updated_at'] },
    },
    ...(chartLanded
      ? [{ id: 'chart', type: 'chart', x: 0, y: 6, w: 6, h: 4, settings: { kind: 'by-priority', filters: queueFilter, follow_filter_panel: true } }]
      : []),
    { id: 'bell', type: 'notifications', x: 6, y: 6, w: 3, h: 4, settings: {} },
    { id: 'feed', type: 'activity', x: 9, y: 6, w: 3, h: 4, settings: { filters: queueFilter, limit: 10 } },
  ])
  await saveLayout(requester, [
    { id: 'form', type: 'new-ticket', x: 0, y: 0, w: 5, h: 6, settings: { title: 'New ticket' } },
    { id: 'mine', type: 'ticket-list', x: 5, y: 0, w: 7, h: 6, settings: { title: 'My tickets', columns: ['number', 'title', 'status', 'priority'] } },
  ])

  // --- The agent filters with the panel: the list (and chart) follow ---------------------------
  const { context: agentContext, page } = await openAs(browser, agent, { colorScheme: 'light' })
  const dashboard = new DashboardPage(page)
  const tickets = new TicketWidgets(page)
  await dashboard.goto()
  await dashboard.waitLive()
  await expect(tickets.row('queue', urgent.id)).toBeVisible()
  await expect(tickets.row('queue', low.id)).toBeVisible()

  const filtered = page.waitForResponse((r) => r.url().includes('/api/tickets?') && decodeURIComponent(r.url()).includes('"urgent"'))
  const chartFiltered = chartLanded
    ? page.waitForResponse((r) => r.url().includes('/api/analytics/by-priority') && decodeURIComponent(r.url()).includes('"urgent"'))
    : Promise.resolve(null)
  await page.getByTestId('filter-panel-priority-urgent').click()
  await filtered
  await chartFiltered
  await expect(tickets.row('queue', low.id)).toHaveCount(0)
  await expect(tickets.row('queue', urgent.id)).toBeVisible()
  await expect(tickets.rows('queue')).toHaveCount(1)
  await page.waitForLoadState('networkidle')
  await page.screenshot({ path: join(shots, 'agent-desktop-light.png') })

  // --- Inline status change (PUT with the version) ----------------------------------------------
  await tickets.setStatusInline('queue', urgent.id, 'pending')
  const afterInline = await call<Ticket>(agent, 'GET', `/api/tickets/${urgent.id}`)
  expect(afterInline.body.status).toBe('pending')
  expect(afterInline.body.version).toBe(urgent.version + 1)

  // --- Open it, add an internal note ------------------------------------------------------------
  await tickets.open('queue', urgent.id)
  await expect(page).toHaveURL(new RegExp(`[?&]ticket=${urgent.id}`))
  await expect(tickets.drawer.getByTestId('ticket-title')).toContainText(urgent.title)
  await expect(tickets.drawer.getByTestId('ticket-status')).toHaveValue('pending')
  const note = `Internal: the requester is a VIP (${run})`
  await tickets.addReply(note, { internal: true })
  const noteItem = tickets.drawer.locator('[data-internal="true"]').filter({ hasText: note })
  await expect(noteItem).toBeVisible()
  await expect(noteItem).toContainText('Internal note')
  await tickets.addReply(`We are looking into it (${run})`, { internal: false })
  await tickets.drawer.getByRole('tab', { name: /History/ }).click()
  await expect(tickets.drawer.getByRole('tabpanel')).toContainText(/changed status\s+from new\s+to pending/)
  await page.screenshot({ path: join(shots, 'agent-drawer-light.png') })
  await dashboard.themeToggle.click()
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark')
  await page.screenshot({ path: join(shots, 'agent-drawer-dark.png') })
  await page.keyboard.press('Escape')
  await expect(tickets.drawer).toHaveCount(0)
  await page.screenshot({ path: join(shots, 'agent-desktop-dark.png') })

  // --- The requester, in a second context, sees the reply but not the note ---------------------
  const { context: requesterContext, page: phone } = await openAs(browser, requester, {
    viewport: { width: 390, height: 844 },
    colorScheme: 'light',
  })
  const phoneTickets = new TicketWidgets(phone)
  await phone.goto(`/tickets/${urgent.id}`)
  await expect(phoneTickets.drawer.getByTestId('ticket-title')).toContainText(urgent.title)
  await expect(phoneTickets.drawer).toContainText(`We are looking into it (${run})`)
  await expect(phoneTickets.drawer).not.toContainText(note)
  await expect(phoneTickets.drawer.getByTestId('reply-internal')).toHaveCount(0)
  await phone.screenshot({ path: join(shots, 'requester-phone-drawer-light.png') })
  const seen = await call<Array<{ body: string; internal: boolean }>>(requester, 'GET', `/api/tickets/${urgent.id}/comments`)
  expect(seen.body.map((c) => c.body)).not.toContain(note)
  expect(seen.body.every((c) => !c.internal)).toBe(true)
  await phoneTickets.closeDrawer()
  await expect(phone).toHaveURL(/\/$/)

  // --- The requester files a ticket from the New ticket widget; it reaches the agent's queue ----
  const title = `Laptop will not boot ${run}`
  const createdId = await phoneTickets.createTicket('form', { title, priority: 'urgent', tags: tag, description: 'Since **this morning**.' })
  await expect(phoneTickets.drawer.getByTestId('ticket-title')).toContainText(title)
  await phone.screenshot({ path: join(shots, 'requester-phone-created-light.png') })
  await phoneTickets.closeDrawer()
  await expect(phoneTickets.row('mine', createdId)).toBeVisible() // this tab's own list, without a reload
  await phone.emulateMedia({ colorScheme: 'dark' })
  await phone.screenshot({ path: join(shots, 'requester-phone-dark.png'), fullPage: true })

  // Live: the agent's list (still filtered to urgent) shows it without a reload.
  await expect(tickets.row('queue', createdId)).toBeVisible()
  await expect(tickets.row('queue', createdId)).toContainText(title)
  await page.screenshot({ path: join(shots, 'agent-after-new-ticket-dark.png') })

  // --- An admin assigns the new ticket to the agent: the notification arrives live ------------
  const admin = await apiAs('admin')
  const current = await admin.get<Ticket>(`/api/tickets/${createdId}`)
  const assigned = await admin.send('PUT', `/api/tickets/${createdId}`, { assignee_id: agent.id, version: current.body.version })
  expect(assigned.status).toBe(200)
  const bell = page.getByTestId('widget-bell')
  await expect(bell.getByTestId('notifications-unread')).toContainText('1')
  await expect(tickets.row('queue', createdId).getByTestId(`ticket-assignee-${createdId}`)).toContainText(`Agnes Agent ${run}`)
  await bell.getByTestId('notifications-read-all').click()
  await expect(bell.getByTestId('notifications-unread')).toContainText('0')

  // --- The agent's dashboard on a phone, dark ---------------------------------------------------
  const { context: phoneAgent, page: agentPhone } = await openAs(browser, agent, {
    viewport: { width: 390, height: 844 },
    colorScheme: 'dark',
  })
  await new DashboardPage(agentPhone).goto()
  await expect(new TicketWidgets(agentPhone).row('queue', createdId)).toBeVisible()
  await agentPhone.waitForLoadState('networkidle')
  await agentPhone.screenshot({ path: join(shots, 'agent-phone-dark.png'), fullPage: true })
  await phoneAgent.close()

  await requesterContext.close()
  await agentContext.close()
})
