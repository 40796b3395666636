/**
 * Plugins (issue 11): the two example plugins (on-call roster in the page, ticket heat map in a
 * sandboxed frame) are installed in the e2e server's environment, the broken fixtures beside
 * them (tests/plugins/fixtures/site, e2e/fixtures/site). An admin enables them; people drag the
 * examples in from the gallery, see their data, filter, drill down and reload; broken plugins
 * show their error card while the rest works; disabling a plugin keeps its placements.
 */
import { join } from 'node:path'
import { request as playwrightRequest, type APIRequestContext, type Page } from '@playwright/test'
import { expect, serverUrl, test } from '../support/fixtures'
import { ACCOUNTS } from '../support/accounts'
import { closeOpened, freshPerson, openAs, saveLayout } from '../support/people'
import { DashboardPage } from '../pages/DashboardPage'

const shots = join(__dirname, '../artifacts/screenshots/plugins')
const ENABLED = ['oncall', 'heatmap', 'throws-on-mount', 'e2e-import-fails', 'e2e-api-two']
const tag = `heat-${Date.now().toString(36)}`

let admin: APIRequestContext
let adminId = 0
let shiftId = 0

async function setEnabled(name: string, enabled: boolean): Promise<void> {
  const response = await admin.patch(`/api/plugins/${name}`, { data: { enabled } })
  expect(response.status(), await response.text()).toBe(200)
}

async function addShift(): Promise<number> {
  const now = Date.now()
  const response = await admin.post('/api/plugins/oncall/shifts', {
    data: {
      user_id: adminId,
      starts_at: new Date(now - 3600_000).toISOString(),
      ends_at: new Date(now + 3 * 3600_000).toISOString(),
      note: 'Pager in the top drawer',
    },
  })
  expect(response.status(), await response.text()).toBe(201)
  return ((await response.json()) as { id: number }).id
}

test.beforeAll(async () => {
  const api = await playwrightRequest.newContext({ baseURL: serverUrl() })
  const login = await api.post('/api/auth/login', { data: { email: ACCOUNTS.admin.email, password: ACCOUNTS.admin.password } })
  const body = (await login.json()) as { access_token: string; user: { id: number } }
  await api.dispose()
  adminId = body.user.id
  admin = await playwrightRequest.newContext({
    baseURL: serverUrl(),
    extraHTTPHeaders: { Authorization: `Bearer ${body.access_token}` },
  })
  for (const name of ENABLED) await setEnabled(name, true)
  shiftId = await addShift()
  // Tickets for the heat map: three low, two high, all created now (this weekday and hour).
  for (const [i, priority] of ['low', 'low', 'low', 'high', 'high'].entries()) {
    const created = await admin.post('/api/tickets', { data: { title: `Heat ${i} ${tag}`, priority, tags: [tag] } })
    expect(created.status(), await created.text()).toBe(201)
  }
})

test.afterAll(async () => {
  await admin.delete(`/api/plugins/oncall/shifts/${shiftId}`).catch(() => undefined)
  for (const name of ENABLED) await setEnabled(name, false)
  await admin.dispose()
})

test.afterEach(closeOpened)

/** The heat map's frame (a sandboxed iframe inside the widget). */
function heatFrame(page: Page, id: string) {
  return page.getByTestId(`widget-${id}`).frameLocator('iframe[data-testid="plugin-frame"]')
}

const nowCell = () => {
  const now = new Date()
  return `heatmap-cell-${(now.getUTCDay() + 6) % 7}-${now.getUTCHours()}`
}

test('both examples come from the gallery, render their data, drill down and survive a reload', async ({ browser }) => {
  const person = await freshPerson('agent')
  await saveLayout(person, [{ id: 'top', type: 'note', x: 0, y: 0, w: 12, h: 2, settings: { title: 'Plugins', markdown: 'Top' } }])
  const { page } = await openAs(browser, person)
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(error.message))
  const dashboard = new DashboardPage(page)
  await dashboard.goto()

  await dashboard.startEditing()
  await dashboard.openGallery()
  await expect(page.getByTestId('gallery-card-oncall-roster')).toBeVisible()
  await expect(page.getByTestId('gallery-card-ticket-heatmap')).toBeVisible()
  await dashboard.dragCardTo(page.getByTestId('gallery-card-oncall-roster'), { x: 0, y: 2 })
  await expect(dashboard.widgets.and(page.locator('[data-widget-type="oncall-roster"]'))).toHaveCount(1)
  await dashboard.waitSaved()
  if (!(await page.getByTestId('gallery').isVisible())) await dashboard.openGallery()
  await dashboard.dragCardTo(page.getByTestId('gallery-card-ticket-heatmap'), { x: 4, y: 2 })
  await expect(dashboard.widgets.and(page.locator('[data-widget-type="ticket-heatmap"]'))).toHaveCount(1)
  await dashboard.waitSaved()
  await dashboard.stopEditing()

  const rosterId = (await page.locator('[data-widget-type="oncall-roster"]').getAttribute('data-testid'))!.replace(/^widget-/, '')
  const heatId = (await page.locator('[data-widget-type="ticket-heatmap"]').getAttribute('data-testid'))!.replace(/^widget-/, '')

  // The roster (in the page) shows the admin's shift.
  await expect(dashboard.widget(rosterId).getByTestId('oncall-now')).toHaveText(ACCOUNTS.admin.name)
  // The heat map (in its frame) shows this hour's tickets, at least the five made above.
  const frame = heatFrame(page, heatId)
  await expect(frame.getByTestId(nowCell())).toHaveAttribute('data-count', /^([5-9]|\d\d+)$/)
  // Drill down: the cell lists its tickets; one opens in the dashboard's drawer.
  await frame.getByTestId(nowCell()).click()
  await expect(frame.getByTestId('heatmap-list')).toContainText(`Heat 4 ${tag}`)
  await frame.locator('[data-testid^="heatmap-ticket-"]', { hasText: `Heat 4 ${tag}` }).click()
  await expect(page.getByTestId('ticket-drawer')).toBeVisible()
  await expect(page.getByTestId('ticket-title')).toContainText(`Heat 4 ${tag}`)
  await page.getByTestId('ticket-drawer-close').click()

  await page.reload()
  await dashboard.ready()
  await expect(dashboard.widget(rosterId).getByTestId('oncall-now')).toHaveText(ACCOUNTS.admin.name)
  await expect(heatFrame(page, heatId).getByTestId(nowCell())).toHaveAttribute('data-count', /^([5-9]|\d\d+)$/)
  expect(errors).toEqual([])
})

test('the heat map follows the dashboard filter; the roster is live', async ({ browser }) => {
  const person = await freshPerson('agent')
  await saveLayout(person, [
    { id: 'panel', type: 'filter-panel', x: 0, y: 0, w: 3, h: 5, settings: { fields: ['priority'] } },
    { id: 'roster', type: 'oncall-roster', x: 3, y: 0, w: 3, h: 3, settings: { show_next: true } },
    {
      id: 'heat',
      type: 'ticket-heatmap',
      x: 6,
      y: 0,
      w: 6,
      h: 5,
      settings: { days: 7, filters: { tag: [tag] }, follow_filter_panel: true },
    },
  ])
  for (const scheme of ['light', 'dark'] as const) {
    const { page } = await openAs(browser, person, { colorScheme: scheme })
    const dashboard = new DashboardPage(page)
    await dashboard.goto()
    const frame = heatFrame(page, 'heat')
    await expect(frame.getByTestId('heatmap-total')).toContainText('5 tickets')
    await expect(frame.getByTestId(nowCell())).toHaveAttribute('data-count', '5')
    await expect(dashboard.widget('roster').getByTestId('oncall-now')).toHaveText(ACCOUNTS.admin.name)
    await page.screenshot({ path: join(shots, `dashboard-${scheme}.png`), fullPage: true })
    if (scheme === 'dark') break

    // The filter panel narrows the frame's figures: three low-priority tickets.
    await page.getByTestId('filter-panel-priority-low').click()
    await expect(frame.getByTestId('heatmap-total')).toContainText('3 tickets')
    await expect(frame.getByTestId(nowCell())).toHaveAttribute('data-count', '3')
    await page.getByTestId('filter-panel-priority-low').click()
    await expect(frame.getByTestId('heatmap-total')).toContainText('5 tickets')

    // An admin ends the shift elsewhere: the roster empties without a reload, then fills again.
    await dashboard.waitLive()
    expect((await admin.delete(`/api/plugins/oncall/shifts/${shiftId}`)).status()).toBe(204)
    await expect(dashboard.widget('roster').getByTestId('oncall-now-empty')).toBeVisible()
    shiftId = await addShift()
    await expect(dashboard.widget('roster').getByTestId('oncall-now')).toHaveText(ACCOUNTS.admin.name)
    await page.context().close()
  }
})

test('broken plugins show their error card in their own cell; the rest works', async ({ browser }) => {
  const person = await freshPerson('user')
  await saveLayout(person, [
    { id: 'roster', type: 'oncall-roster', x: 0, y: 0, w: 3, h: 3, settings: {} },
    { id: 'throws', type: 'throws-on-mount', x: 3, y: 0, w: 3, h: 3, settings: {} },
    { id: 'imports', type: 'e2e-import-fails', x: 6, y: 0, w: 3, h: 3, settings: {} },
    { id: 'future', type: 'e2e-api-two', x: 9, y: 0, w: 3, h: 3, settings: {} },
    { id: 'note', type: 'note', x: 0, y: 3, w: 6, h: 2, settings: { title: 'Still here', markdown: 'Built-in widgets work' } },
  ])
  const { page } = await openAs(browser, person)
  const dashboard = new DashboardPage(page)
  await dashboard.goto()
  const card = (id: string) => dashboard.widget(id).getByTestId('plugin-error')
  await expect(card('throws')).toContainText('throws-on-mount: this widget always fails to mount')
  await expect(card('imports')).toContainText('could not be loaded')
  await expect(card('imports')).toContainText('left-pad')
  await expect(card('future')).toContainText('needs plugin API >=2,<3; this Deskboard provides plugin API 1')
  await expect(dashboard.widget('roster').getByTestId('oncall-now')).toHaveText(ACCOUNTS.admin.name)
  await expect(dashboard.widget('note')).toContainText('Built-in widgets work')
  await expect(card('roster')).toHaveCount(0)
  // The dashboard still edits and saves.
  await dashboard.startEditing()
  await dashboard.removeWidget('throws')
  await dashboard.waitSaved()
  await page.screenshot({ path: join(shots, 'broken-light.png'), fullPage: true })
})

test('the admin screen lists plugins; disabling keeps placements as unavailable, enabling brings them back', async ({ browser, signIn }) => {
  const person = await freshPerson('user')
  await saveLayout(person, [{ id: 'roster', type: 'oncall-roster', x: 2, y: 1, w: 3, h: 3, settings: { show_next: false } }])

  const adminPage = await signIn('admin')
  await adminPage.goto('/')
  await adminPage.getByTestId('user-menu').click()
  await adminPage.getByTestId('menu-plugins').click()
  await expect(adminPage).toHaveURL(/\/settings\/plugins$/)
  const oncall = adminPage.getByTestId('plugin-oncall')
  await expect(oncall).toHaveAttribute('data-status', 'ok')
  await expect(adminPage.getByTestId('plugin-heatmap')).toContainText('tickets:read')
  await expect(adminPage.getByTestId('plugin-wrong-api')).toHaveAttribute('data-status', 'incompatible')
  await expect(adminPage.getByTestId('plugin-error-wrong-api')).toBeVisible()
  await expect(adminPage.getByTestId('plugin-status-import-fails')).toHaveText('Failed')
  await adminPage.screenshot({ path: join(shots, 'admin-light.png'), fullPage: true })
  await adminPage.emulateMedia({ colorScheme: 'dark' })
  await adminPage.screenshot({ path: join(shots, 'admin-dark.png'), fullPage: true })

  try {
    await adminPage.getByTestId('plugin-toggle-oncall').uncheck()
    await expect(oncall).toHaveAttribute('data-status', 'disabled')

    const { page } = await openAs(browser, person)
    const dashboard = new DashboardPage(page)
    await dashboard.goto()
    await expect(dashboard.widget('roster').getByTestId('unknown-widget')).toContainText('“oncall-roster” is unavailable')
    await expect(dashboard.widget('roster')).toHaveAttribute('aria-label', /column 3, row 2, width 3, height 3$/)
    await dashboard.startEditing()
    // An unavailable widget can be removed, not copied or reconfigured (the server refuses both).
    await page.getByTestId('widget-menu-roster').click()
    await expect(page.getByTestId('widget-remove-roster')).toBeVisible()
    await expect(page.getByTestId('widget-duplicate-roster')).toHaveCount(0)
    await expect(page.getByTestId('widget-settings-roster')).toHaveCount(0)
    await page.keyboard.press('Escape')
    await dashboard.openGallery()
    await expect(page.getByTestId('gallery-card-oncall-roster')).toHaveCount(0)

    await adminPage.getByTestId('plugin-toggle-oncall').check()
    await expect(oncall).toHaveAttribute('data-status', 'ok')
    await page.reload()
    await dashboard.ready()
    await expect(dashboard.widget('roster').getByTestId('oncall-now')).toHaveText(ACCOUNTS.admin.name)
    await expect(dashboard.widget('roster')).toHaveAttribute('aria-label', /column 3, row 2, width 3, height 3$/)

    // An admin forces the in-page roster into the sandboxed frame: same widget, same data, live.
    await adminPage.getByTestId('plugin-iframe-oncall').check()
    await expect(adminPage.getByTestId('plugin-iframe-oncall')).toBeChecked()
    await page.reload()
    await dashboard.ready()
    const framed = dashboard.widget('roster').frameLocator('iframe[data-testid="plugin-frame"]')
    await expect(framed.getByTestId('oncall-now')).toHaveText(ACCOUNTS.admin.name)
    await dashboard.waitLive()
    expect((await admin.delete(`/api/plugins/oncall/shifts/${shiftId}`)).status()).toBe(204)
    await expect(framed.getByTestId('oncall-now-empty')).toBeVisible()
    shiftId = await addShift()
    await expect(framed.getByTestId('oncall-now')).toHaveText(ACCOUNTS.admin.name)
  } finally {
    await admin.patch('/api/plugins/oncall', { data: { iframe_forced: false } })
    await setEnabled('oncall', true)
  }
})

test('an admin edits the rota from the roster widget', async ({ browser }) => {
  const person = await freshPerson('admin')
  await saveLayout(person, [{ id: 'roster', type: 'oncall-roster', x: 0, y: 0, w: 4, h: 6, settings: {} }])
  const { page } = await openAs(browser, person)
  const dashboard = new DashboardPage(page)
  await dashboard.goto()
  const roster = dashboard.widget('roster')
  await roster.getByTestId('oncall-manage').click()
  const rota = roster.getByTestId('oncall-rota')
  await expect(rota).toBeVisible()
  const tomorrow = new Date(Date.now() + 24 * 3600_000)
  const local = (d: Date) => new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16)
  await rota.getByTestId('oncall-add-from').fill(local(tomorrow))
  await rota.getByTestId('oncall-add-to').fill(local(new Date(tomorrow.getTime() + 2 * 3600_000)))
  await rota.getByTestId('oncall-add').click()
  await expect(page.getByTestId('toast')).toContainText('Shift added')
  const added = rota.locator('[data-testid^="oncall-shift-"]').filter({ hasNotText: ACCOUNTS.admin.name })
  await expect(added).toHaveCount(1)
  await page.screenshot({ path: join(shots, 'rota-light.png'), fullPage: true })
  await added.getByRole('button', { name: /Remove/ }).click()
  await expect(added).toHaveCount(0)
})
