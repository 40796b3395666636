import { expect, test } from '../support/fixtures'
import { closeOpened, freshPerson, openAs, saveLayout } from '../support/people'
import { DashboardPage } from '../pages/DashboardPage'

test.afterEach(closeOpened)

const note = (id: string, x: number, y: number, w: number, h: number) => ({
  id,
  type: 'note',
  x,
  y,
  w,
  h,
  settings: { title: `Note ${id}`, markdown: id },
})

test('a phone stacks the widgets in one column in layout order; the gallery is a bottom sheet', async ({ browser }) => {
  const person = await freshPerson('user')
  // Reading order of the desktop layout: b (row 1, left), a (row 1, right), c (row 4).
  await saveLayout(person, [note('a', 6, 0, 6, 3), note('b', 0, 0, 6, 2), note('c', 0, 3, 4, 2)])
  const { page } = await openAs(browser, person, { viewport: { width: 390, height: 844 } })
  const dashboard = new DashboardPage(page)
  await dashboard.goto()
  await expect(dashboard.widget('c')).toBeVisible()

  const canvas = (await dashboard.canvas.boundingBox())!
  const boxes = []
  for (const id of ['b', 'a', 'c']) boxes.push((await dashboard.widget(id).boundingBox())!)
  for (const box of boxes) {
    expect(Math.abs(box.x - canvas.x)).toBeLessThan(2) // one column, full width
    expect(Math.abs(box.width - canvas.width)).toBeLessThan(2)
  }
  expect(boxes[0]!.y).toBeLessThan(boxes[1]!.y)
  expect(boxes[1]!.y).toBeLessThan(boxes[2]!.y)
  expect(boxes[1]!.y).toBeGreaterThanOrEqual(boxes[0]!.y + boxes[0]!.height - 1) // stacked, no overlap
  // Nothing wider than the screen.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)

  await dashboard.startEditing()
  await dashboard.openGallery()
  const sheet = (await page.getByTestId('gallery').boundingBox())!
  expect(Math.round(sheet.x)).toBe(0)
  expect(Math.round(sheet.width)).toBe(390)
  expect(Math.round(sheet.y + sheet.height)).toBe(844) // anchored to the bottom
  expect(sheet.y).toBeGreaterThan(844 * 0.3)

  // Adding from the sheet with a tap still works, and the phone's column stays in order.
  await page.getByTestId('gallery-card-kpi').click()
  const kpi = dashboard.widgets.and(page.locator('[data-widget-type="kpi"]'))
  await expect(kpi).toHaveCount(1)
  await dashboard.waitSaved()
})

test('a guest on a phone sees the stacked widgets and no edit control', async ({ signIn }) => {
  const page = await signIn('guest', { viewport: { width: 390, height: 844 } })
  const dashboard = new DashboardPage(page)
  await dashboard.goto()
  await expect(dashboard.widgets.first()).toBeVisible()
  await expect(dashboard.editToggle).toHaveCount(0)
  await expect(dashboard.galleryOpen).toHaveCount(0)
  await expect(page.locator('.widget-drag-handle')).toHaveCount(0)
  await expect(page.locator('[data-testid^="widget-menu-"]')).toHaveCount(0)
})
