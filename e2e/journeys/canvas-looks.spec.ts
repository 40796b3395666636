import { join } from 'node:path'
import { expect, test } from '../support/fixtures'
import { closeOpened, freshPerson, openAs, saveLayout, type Person } from '../support/people'
import { DashboardPage } from '../pages/DashboardPage'
import { HistoryPanel } from '../pages/HistoryPanel'
import { RealMouse } from '../support/mouse'

test.afterEach(closeOpened)

// The canvas's states at three sizes and in both themes, under e2e/artifacts/canvas (not
// committed) for a person to look at. Asserts only what the states need to be reached.
const shots = join(__dirname, '..', 'artifacts', 'canvas')

const VIEWPORTS = {
  desktop: { width: 1366, height: 900 },
  tablet: { width: 820, height: 1180 },
  phone: { width: 390, height: 844 },
} as const

const LAYOUT = [
  { id: 'list', type: 'ticket-list', x: 0, y: 0, w: 8, h: 5, settings: { title: 'My tickets' } },
  { id: 'open', type: 'kpi', x: 8, y: 0, w: 2, h: 2, settings: { title: 'Open', metric: 'open' } },
  { id: 'overdue', type: 'kpi', x: 10, y: 0, w: 2, h: 2, settings: { title: 'Overdue', metric: 'overdue' } },
  { id: 'note', type: 'note', x: 8, y: 2, w: 4, h: 3, settings: { title: 'Team notes', markdown: '**On call**: Ada\n\n- Printer queue first\n- Then VIP tickets' } },
]

let person: Person

test.beforeAll(async () => {
  person = await freshPerson('agent')
  await saveLayout(person, LAYOUT)
})

for (const [size, viewport] of Object.entries(VIEWPORTS)) {
  for (const theme of ['light', 'dark'] as const) {
    test(`canvas states, ${size}, ${theme}`, async ({ browser }) => {
      test.setTimeout(60_000)
      const { page } = await openAs(browser, person, { viewport, colorScheme: theme })
      const shot = (name: string) => page.screenshot({ path: join(shots, `${size}-${theme}-${name}.png`) })
      const dashboard = new DashboardPage(page)
      await dashboard.goto()
      await expect(dashboard.widget('note')).toBeVisible()
      await page.waitForLoadState('networkidle')
      await shot('view')

      await dashboard.startEditing()
      await dashboard.openGallery()
      await page.waitForTimeout(300)
      await shot('edit-gallery')
      await page.getByTestId('gallery-close').click()

      // Mid-drag: the item follows the pointer, the placeholder shows where it will snap.
      const head = dashboard.widget('open').locator('.widget-drag-handle')
      await head.scrollIntoViewIfNeeded()
      const box = (await head.boundingBox())!
      const cells = await dashboard.cells()
      const mouse = await RealMouse.of(page)
      await mouse.move(box.x + 30, box.y + box.height / 2)
      await mouse.down()
      await mouse.move(box.x + 30 - cells.width * 1.6, box.y + box.height / 2 + cells.height * 2.3, { steps: 12 })
      await expect(page.locator('.grid-stack-placeholder')).toBeVisible()
      await page.waitForTimeout(250)
      await shot('mid-drag')
      await mouse.move(box.x + 30, box.y + box.height / 2, { steps: 8 }) // back where it was
      await mouse.up()
      await mouse.detach()

      await dashboard.openSettings('note')
      await page.waitForTimeout(200)
      await shot('settings')
      await page.getByTestId('settings-cancel').click()

      const history = new HistoryPanel(page)
      await history.open()
      await expect(history.item(1)).toBeVisible()
      await shot('history')
      await history.close()
      await page.keyboard.press('Tab')
      await dashboard.widget('list').focus()
      await shot('focus')
    })
  }
}
