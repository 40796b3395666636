import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { request as playwrightRequest } from '@playwright/test'
import { DashboardPage } from '../pages/DashboardPage'
import { expect, serverUrl, test } from '../support/fixtures'
import { closeOpened, freshPerson, openAs, saveLayout } from '../support/people'

/**
 * Issue 13's service levels: an admin sets up a business calendar (holidays seeded for a country)
 * and an SLA policy in the settings screens; a ticket under that policy shows on the dashboard's
 * SLA widget with a badge counting down, and turns to breached. The ticket is aged with the
 * development CLI (`deskboard sla-age-ticket`) rather than by waiting: the server's sweep (every
 * second in this suite) announces the change, and the widget follows live.
 */

const repo = resolve(__dirname, '../..')
const shots = join(__dirname, '..', 'artifacts', 'screenshots', 'sla')
const run = Date.now().toString(36)
const tag = `sla-${run}`

test.afterEach(closeOpened)
test.setTimeout(120_000)

function ageTicket(id: number, minutes: number): void {
  const server = JSON.parse(readFileSync(join(repo, 'e2e/artifacts/server.json'), 'utf8')) as { dataDir: string }
  execFileSync(join(repo, '.venv/bin/deskboard'), ['sla-age-ticket', String(id), '--minutes', String(minutes)], {
    cwd: repo,
    env: {
      ...process.env,
      DESKBOARD_DATA_DIR: server.dataDir,
      DESKBOARD_DATABASE_URL: `sqlite+aiosqlite:///${join(server.dataDir, 'deskboard.db')}`,
      DESKBOARD_ENV: 'development',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
}

test('an admin sets up a calendar and a policy; a ticket counts down on the dashboard and breaches', async ({ browser, signIn }) => {
  // 1. The calendar, in the admin screen: open all day, every day, German public holidays.
  const admin = await signIn('admin')
  await admin.emulateMedia({ colorScheme: 'light' })
  await admin.goto('/settings/calendars')
  const calendarForm = admin.getByTestId('calendar-form')
  await calendarForm.getByTestId('calendar-name').fill(`Always open ${run}`)
  await calendarForm.getByTestId('calendar-timezone').fill('UTC')
  await calendarForm.getByTestId('calendar-all-day').click()
  await expect(calendarForm.getByTestId('calendar-hours-sun')).toHaveValue('00:00-24:00')
  await calendarForm.getByTestId('calendar-seed-country').fill('DE')
  await calendarForm.getByTestId('calendar-seed-years').fill('2026')
  await calendarForm.getByTestId('calendar-save').click()
  await expect(admin.getByTestId('calendar-saved')).toContainText(`Always open ${run}`, { timeout: 30_000 })
  // Seeded: the holidays list now holds Germany's public holidays of 2026 (Christmas among them).
  await expect(calendarForm.getByTestId('calendar-holidays')).toHaveValue(/2026-12-25/)
  await calendarForm.getByTestId('calendar-holidays').evaluate((el) => el.scrollIntoView())
  await admin.screenshot({ path: join(shots, 'calendars-light.png'), fullPage: true })
  await admin.emulateMedia({ colorScheme: 'dark' })
  await admin.waitForTimeout(300)
  await admin.screenshot({ path: join(shots, 'calendars-dark.png'), fullPage: true })
  await admin.emulateMedia({ colorScheme: 'light' })

  // 2. The policy: tickets tagged `tag`, first response in 10 minutes, tried first.
  await admin.goto('/settings/sla')
  const policyForm = admin.getByTestId('sla-policy-form')
  await policyForm.getByTestId('sla-policy-name').fill(`Fast lane ${run}`)
  await policyForm.getByTestId('sla-policy-position').fill('0')
  await policyForm.getByTestId('sla-policy-tags').fill(tag)
  await policyForm.getByTestId('sla-policy-calendar').selectOption({ label: `Always open ${run}` })
  await policyForm.getByTestId('sla-policy-first-response').fill('10')
  await policyForm.getByTestId('sla-policy-resolution').fill('60')
  await expect(policyForm.getByTestId('sla-policy-pause-pending')).toBeChecked()
  await policyForm.getByTestId('sla-policy-save').click()
  await expect(admin.getByTestId('sla-policy-saved')).toContainText(`Fast lane ${run}`, { timeout: 30_000 })
  const row = admin.locator('[data-testid^="sla-policy-row-"]').filter({ hasText: `Fast lane ${run}` })
  await expect(row).toContainText(`tag ${tag}`)
  await expect(row).toContainText('first response 10 min')
  await admin.screenshot({ path: join(shots, 'policies-light.png'), fullPage: true })
  await admin.emulateMedia({ colorScheme: 'dark' })
  await admin.waitForTimeout(300)
  await admin.screenshot({ path: join(shots, 'policies-dark.png'), fullPage: true })

  // 3. Two tickets under the policy, assigned to a fresh agent whose dashboard shows the SLA.
  const agent = await freshPerson('agent')
  const api = await playwrightRequest.newContext({ baseURL: serverUrl(), extraHTTPHeaders: { Authorization: `Bearer ${agent.token}` } })
  const made: { id: number; sla: { policy_id: number; first_response_due_at: string } | null }[] = []
  for (const title of [`Server room is warm ${run}`, `Badge reader offline ${run}`]) {
    const created = await api.post('/api/tickets', { data: { title, tags: [tag] } })
    expect(created.status(), await created.text()).toBe(201)
    made.push(await created.json())
  }
  await api.dispose()
  const [hot, calm] = made as [(typeof made)[number], (typeof made)[number]]
  expect(hot.sla?.first_response_due_at).toBeTruthy()
  const filters = { tag: [tag] }
  await saveLayout(agent, [
    { id: 'sla', type: 'sla', x: 0, y: 0, w: 6, h: 4, settings: { filters } },
    { id: 'kpi', type: 'kpi', x: 6, y: 0, w: 3, h: 2, settings: { filters, metric: 'sla-within' } },
    { id: 'list', type: 'ticket-list', x: 0, y: 4, w: 9, h: 4, settings: { filters, columns: ['number', 'title', 'status', 'sla'] } },
  ])
  const { page } = await openAs(browser, agent, { viewport: { width: 1366, height: 900 }, colorScheme: 'light' })
  const dashboard = new DashboardPage(page)
  await dashboard.goto()
  await expect(page.getByTestId('sla-widget-empty')).toBeVisible()
  const listBadge = page.getByTestId(`ticket-row-${hot.id}`).getByTestId('sla-badge')
  await expect(listBadge).toHaveAttribute('data-state', 'ok')

  // 4. Nine of its ten minutes pass: at risk. The sweep tells the dashboard, the badge counts down.
  ageTicket(hot.id, 9)
  const badge = page.getByTestId(`sla-widget-row-${hot.id}`).getByTestId('sla-badge')
  await expect(badge).toHaveAttribute('data-state', 'at_risk', { timeout: 15_000 })
  const first = await badge.textContent()
  expect(first).toMatch(/^\s*(\d+m \d{2}s|\d+s)\s*$/)
  await expect(badge).not.toHaveText(first ?? '', { timeout: 5_000 }) // it counts down
  await expect(page.getByTestId(`sla-widget-row-${calm.id}`)).toHaveCount(0)
  await page.screenshot({ path: join(shots, 'dashboard-at-risk-light.png') })

  // 5. Two more minutes: breached, on the widget and in the list.
  ageTicket(hot.id, 2)
  await expect(badge).toHaveAttribute('data-state', 'breached', { timeout: 15_000 })
  await expect(badge).toHaveText(/Breached/)
  await expect(listBadge).toHaveAttribute('data-state', 'breached', { timeout: 15_000 })
  await page.screenshot({ path: join(shots, 'dashboard-breached-light.png') })
  await page.emulateMedia({ colorScheme: 'dark' })
  await page.waitForTimeout(300)
  await page.screenshot({ path: join(shots, 'dashboard-breached-dark.png') })
  await page.emulateMedia({ colorScheme: 'light' })

  // 6. % within SLA: one of the two; its drill-down lists as many tickets as it counts.
  const kpi = page.getByTestId('kpi-value')
  await expect(kpi).toHaveText('50%', { timeout: 70_000 })
  await kpi.click()
  await expect(page).toHaveURL(/\/tickets\?filter=/)
  await expect(page.getByTestId('tickets-count')).toHaveText('1 ticket')
  await expect(page.getByTestId(`tickets-row-${calm.id}`)).toBeVisible()
})
