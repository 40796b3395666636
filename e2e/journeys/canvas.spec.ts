import { expect, test } from '../support/fixtures'
import { freshPerson, openAs, saveLayout } from '../support/people'
import { DashboardPage } from '../pages/DashboardPage'

// A full-width note on the first two rows: whatever lands below it stays where it was put
// (the grid compacts upwards, so without it a widget dropped lower would float to the top).
const BANNER = { id: 'top', type: 'note', x: 0, y: 0, w: 12, h: 2, settings: { title: 'Banner', markdown: 'Top row' } }

test('drag a card in, resize it, rename it, reload, remove it; undo and redo', async ({ browser }) => {
  const person = await freshPerson('user')
  await saveLayout(person, [BANNER])
  const { page } = await openAs(browser, person)
  const dashboard = new DashboardPage(page)
  await dashboard.goto()
  await expect(dashboard.widget('top')).toBeVisible()

  await dashboard.startEditing()
  await dashboard.openGallery()
  const card = page.getByTestId('gallery-card-note')
  await expect(card).toBeVisible()

  // Drag the note card with the mouse to column 5, row 3.
  await dashboard.dragCardTo(card, { x: 4, y: 2 })
  const added = dashboard.widgets.and(page.locator('[data-widget-type="note"]:not([data-testid="widget-top"])'))
  await expect(added).toHaveCount(1)
  await expect(added).toHaveAttribute('aria-label', /column 5, row 3, width 3, height 3$/)
  const id = (await added.getAttribute('data-testid'))!.replace(/^widget-/, '')
  await dashboard.waitSaved()

  // Resize from the bottom-right corner: two columns wider, one row taller.
  await dashboard.resizeBy(id, 'se', { w: 2, h: 1 })
  await expect(dashboard.widget(id)).toHaveAttribute('aria-label', /column 5, row 3, width 5, height 4$/)
  // ... and from the left edge: one column wider to the left.
  await dashboard.resizeBy(id, 'w', { w: 1, h: 0 })
  await expect(dashboard.widget(id)).toHaveAttribute('aria-label', /column 4, row 3, width 6, height 4$/)

  // A setting changed in the dialog shows at once, before it is saved.
  await dashboard.openSettings(id)
  const dialog = page.getByTestId('settings-dialog')
  await dialog.getByLabel('Title', { exact: true }).fill('Release notes')
  await expect(dashboard.widget(id).locator('.title')).toHaveText('Release notes')
  await dialog.getByTestId('settings-save').click()
  await expect(dialog).toHaveCount(0)
  await dashboard.waitSaved()

  await page.reload()
  await dashboard.ready()
  await expect(dashboard.widget(id)).toHaveAttribute('aria-label', 'Widget Release notes, column 4, row 3, width 6, height 4')
  await expect(dashboard.widget(id).locator('.title')).toHaveText('Release notes')

  // Removing the widget goes through the seed's DELETE endpoint.
  await dashboard.startEditing()
  const deleted = page.waitForRequest((r) => r.method() === 'DELETE' && r.url().endsWith(`/api/layout/me/${id}`))
  const answered = page.waitForResponse((r) => r.request().method() === 'DELETE' && r.url().endsWith(`/api/layout/me/${id}`))
  await dashboard.removeWidget(id)
  await deleted
  expect((await answered).status()).toBe(200)
  await dashboard.waitSaved()

  // Ctrl+Z brings it back (and saves that), Ctrl+Shift+Z removes it again.
  await page.locator('body').click({ position: { x: 5, y: 5 } })
  await page.keyboard.press('Control+z')
  await expect(dashboard.widget(id)).toHaveAttribute('aria-label', 'Widget Release notes, column 4, row 3, width 6, height 4')
  await dashboard.waitSaved()
  await page.keyboard.press('Control+Shift+z')
  await expect(dashboard.widget(id)).toHaveCount(0)
  await dashboard.waitSaved()
  await page.reload()
  await dashboard.ready()
  await expect(dashboard.widget('top')).toBeVisible()
  await expect(dashboard.widget(id)).toHaveCount(0)
})
