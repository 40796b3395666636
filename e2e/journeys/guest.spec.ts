import { expect, test } from '../support/fixtures'
import { DashboardPage } from '../pages/DashboardPage'
import { HistoryPanel } from '../pages/HistoryPanel'

test('a guest sees the dashboard without any edit control, and the API refuses guest writes', async ({ signIn, apiAs }) => {
  const page = await signIn('guest')
  const dashboard = new DashboardPage(page)
  await dashboard.goto()
  await expect(dashboard.widgets.first()).toBeVisible()
  await expect(dashboard.editToggle).toHaveCount(0)
  await expect(dashboard.galleryOpen).toHaveCount(0)
  await expect(page.locator('[data-testid^="widget-menu-"]')).toHaveCount(0)
  await expect(page.locator('[data-testid^="widget-remove-"]')).toHaveCount(0)
  await expect(page.locator('.grid-stack-item .ui-resizable-handle:visible')).toHaveCount(0)

  // Ctrl+Z does nothing to a guest's dashboard, and nothing is ever saved.
  const before = await dashboard.widgetIds()
  await page.keyboard.press('Control+z')
  expect(await dashboard.widgetIds()).toEqual(before)
  await expect(dashboard.saveStatus).toHaveText('saved')

  const history = new HistoryPanel(page)
  await history.open()
  await expect(page.locator('[data-testid^="history-restore-"]')).toHaveCount(0)

  // The API is the real gate: a guest write is 403 whatever the UI shows.
  const guest = await apiAs('guest')
  const template = await guest.get<{ grid: unknown; widgets: unknown[] }>('/api/layout-templates/guest')
  const write = await guest.send('POST', '/api/layout/me', { grid: template.body.grid, widgets: template.body.widgets })
  expect(write.status).toBe(403)
})
