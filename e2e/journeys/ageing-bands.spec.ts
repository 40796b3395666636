import { join } from 'node:path'
import { request as playwrightRequest } from '@playwright/test'
import { DashboardPage } from '../pages/DashboardPage'
import { expect, serverUrl, test } from '../support/fixtures'
import { closeOpened, freshPerson, openAs, saveLayout } from '../support/people'

/**
 * The ageing widget cuts its bands where its `buckets_days` setting says (the API's bands=), a band
 * drills down to as many tickets as it counts, and the settings editor edits those days and shows
 * the ticket list's sort and columns by their labels rather than their raw values.
 */

const shots = join(__dirname, '..', 'artifacts', 'screenshots', 'ageing-bands')
const tag = `age-${Date.now().toString(36)}`

test.afterEach(closeOpened)

test('ageing bands follow buckets_days, and the settings editor shows labels', async ({ browser }) => {
  const agent = await freshPerson('agent')
  const api = await playwrightRequest.newContext({
    baseURL: serverUrl(),
    extraHTTPHeaders: { Authorization: `Bearer ${agent.token}` },
  })
  for (const priority of ['urgent', 'low', 'normal']) {
    const created = await api.post('/api/tickets', { data: { title: `Ageing ${priority} ${tag}`, priority, tags: [tag] } })
    expect(created.status(), await created.text()).toBe(201)
  }
  await api.dispose()
  const filters = { tag: [tag] }
  await saveLayout(agent, [
    { id: 'ageing', type: 'ageing', x: 0, y: 0, w: 6, h: 4, settings: { filters, buckets_days: [14, 2] } },
    {
      id: 'list',
      type: 'ticket-list',
      x: 6,
      y: 0,
      w: 6,
      h: 4,
      settings: { filters, sort: '-priority', columns: ['number', 'title', 'priority', 'due_at'] },
    },
  ])

  const { page } = await openAs(browser, agent, { viewport: { width: 1366, height: 900 }, colorScheme: 'light' })
  const dashboard = new DashboardPage(page)
  await dashboard.goto()
  // [14, 2] is asked for as bands=2,14: three bands, the tickets of today in the first.
  await expect(page.getByTestId('ageing-band-lt_2d')).toContainText('3')
  await expect(page.getByTestId('ageing-band-2_14d')).toContainText('0')
  await expect(page.getByTestId('ageing-band-gt_14d')).toContainText('0')
  await expect(page.getByTestId('ageing-band-lt_1d')).toHaveCount(0)
  await page.waitForLoadState('networkidle')
  await page.screenshot({ path: join(shots, 'custom-bands-light.png') })

  await page.getByTestId('ageing-band-lt_2d').click()
  await expect(page).toHaveURL(/\/tickets\?filter=/)
  await expect(page.getByTestId('tickets-count')).toHaveText('3 tickets')
  await expect(page.locator('[data-testid^="tickets-row-"]')).toHaveCount(3)
  await page.goBack()
  await dashboard.ready()

  // The ticket list's settings: the sort and the columns by their labels.
  await dashboard.startEditing()
  await dashboard.openSettings('list')
  const dialog = page.getByTestId('settings-dialog')
  const sort = dialog.getByTestId('settings-field-sort').locator('select')
  await expect(sort.locator('option:checked')).toHaveText('Priority, highest first')
  await expect(sort.locator('option')).toContainText(['Default', 'Last updated, newest first', 'Due date, soonest first'])
  const columns = dialog.getByTestId('settings-field-columns')
  await expect(columns.locator('label')).toContainText(['Number', 'Title', 'Status', 'Priority', 'Requester', 'Assignee', 'Tags', 'Due date'])
  await expect(columns.getByLabel('Due date')).toBeChecked()
  await sort.scrollIntoViewIfNeeded()
  await page.screenshot({ path: join(shots, 'ticket-list-settings.png') })
  await dialog.getByTestId('settings-cancel').click()

  // The ageing widget's days, edited as text.
  await dashboard.openSettings('ageing')
  const days = dialog.getByTestId('settings-field-buckets_days').locator('input')
  await expect(days).toHaveValue('14, 2')
  await days.fill('1, 1')
  await expect(dialog.getByTestId('settings-error-buckets_days')).toBeVisible()
  await expect(dialog.getByTestId('settings-save')).toBeDisabled()
  await days.fill('1, 7, 30')
  await page.screenshot({ path: join(shots, 'ageing-settings.png') })
  await dialog.getByTestId('settings-save').click()
  await expect(dialog).toBeHidden()
  await dashboard.waitSaved()
  await expect(page.getByTestId('ageing-band-lt_1d')).toContainText('3')
  await expect(page.getByTestId('ageing-band-7_30d')).toBeVisible()
  await expect(page.getByTestId('ageing-band-gt_30d')).toBeVisible()
  await expect(page.getByTestId('ageing-band-lt_2d')).toHaveCount(0)

  await page.reload()
  await dashboard.ready()
  await expect(page.getByTestId('ageing-band-1_7d')).toBeVisible()
  await page.emulateMedia({ colorScheme: 'dark' })
  await page.waitForLoadState('networkidle')
  await page.screenshot({ path: join(shots, 'saved-bands-dark.png') })
})
