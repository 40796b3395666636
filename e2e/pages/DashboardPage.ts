import { expect, type Locator, type Page } from '@playwright/test'
import { RealMouse } from '../support/mouse'

/** The signed-in shell and the dashboard under it. */
export class DashboardPage {
  readonly canvas: Locator
  readonly editToggle: Locator
  readonly galleryOpen: Locator
  readonly saveStatus: Locator
  readonly connectionStatus: Locator
  readonly historyOpen: Locator
  readonly userMenu: Locator
  readonly signOutButton: Locator
  readonly themeToggle: Locator
  readonly widgets: Locator

  constructor(readonly page: Page) {
    this.canvas = page.getByTestId('canvas')
    this.editToggle = page.getByTestId('edit-toggle')
    this.galleryOpen = page.getByTestId('gallery-open')
    this.saveStatus = page.getByTestId('save-status')
    this.connectionStatus = page.getByTestId('connection-status')
    this.historyOpen = page.getByTestId('history-open')
    this.userMenu = page.getByTestId('user-menu')
    this.signOutButton = page.getByTestId('sign-out')
    this.themeToggle = page.getByTestId('theme-toggle')
    this.widgets = page.locator('[data-testid^="widget-"][data-widget-type]')
  }

  async goto(): Promise<void> {
    await this.page.goto('/')
    await this.ready()
  }

  async ready(): Promise<void> {
    await expect(this.canvas).toBeVisible()
  }

  widget(id: string): Locator {
    return this.page.getByTestId(`widget-${id}`)
  }

  async widgetIds(): Promise<string[]> {
    const ids = await this.widgets.evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-testid') ?? ''))
    return ids.map((id) => id.replace(/^widget-/, '')).sort()
  }

  async waitLive(): Promise<void> {
    await expect(this.connectionStatus).toHaveAttribute('data-state', 'live')
  }

  async waitSaved(): Promise<void> {
    await expect(this.saveStatus).toHaveText('saved')
  }

  async startEditing(): Promise<void> {
    await this.editToggle.click()
    await expect(this.editToggle).toHaveAttribute('aria-pressed', 'true')
  }

  async stopEditing(): Promise<void> {
    await this.editToggle.click()
    await expect(this.editToggle).toHaveAttribute('aria-pressed', 'false')
  }

  async removeWidget(id: string): Promise<void> {
    await this.page.getByTestId(`widget-menu-${id}`).click()
    await this.page.getByTestId(`widget-remove-${id}`).click()
    await expect(this.widget(id)).toHaveCount(0)
  }

  async signOut(): Promise<void> {
    await this.userMenu.click()
    await this.signOutButton.click()
  }

  // Canvas gestures (canvas journeys) ---------------------------------------------------------

  /** The grid's cell size in CSS pixels and its top-left corner on the page. */
  async cells(): Promise<{ left: number; top: number; width: number; height: number }> {
    const box = await this.canvas.boundingBox()
    if (!box) throw new Error('the canvas is not on screen')
    return { left: box.x, top: box.y, width: box.width / 12, height: 80 }
  }

  async openGallery(): Promise<void> {
    await this.galleryOpen.click()
    await expect(this.page.getByTestId('gallery')).toBeVisible()
  }

  /** Where gridstack's placeholder (the snap feedback) says the dragged widget will land. */
  async placeholderCell(): Promise<{ x: number; y: number; w: number; h: number } | null> {
    return this.page.evaluate(() => {
      const el = document.querySelector('.grid-stack-placeholder')
      if (!el) return null
      const at = (name: string, fallback: number) => Number(el.getAttribute(name) ?? fallback)
      return { x: at('gs-x', 0), y: at('gs-y', 0), w: at('gs-w', 1), h: at('gs-h', 1) }
    })
  }

  /**
   * Drag `card` with the real mouse so that it lands on cell (x, y): press it, move in small steps
   * (gridstack sees every mousemove), watch the placeholder as a person would, correct the aim by
   * the cells it is off, and release.
   */
  async dragCardTo(card: Locator, cell: { x: number; y: number }): Promise<void> {
    await card.scrollIntoViewIfNeeded()
    const from = await card.boundingBox()
    if (!from) throw new Error('the card is not on screen')
    const mouse = await RealMouse.of(this.page)
    try {
      const c = await this.cells()
      await mouse.move(from.x + 24, from.y + 16)
      await mouse.down()
      let aim = { x: c.left + (cell.x + 0.5) * c.width, y: c.top + (cell.y + 0.4) * c.height }
      await mouse.move(aim.x, aim.y, { steps: 25 })
      for (let tries = 0; tries < 3; tries++) {
        const shown = await this.placeholderCell()
        if (!shown || (shown.x === cell.x && shown.y === cell.y)) break
        aim = { x: aim.x + (cell.x - shown.x) * c.width, y: aim.y + (cell.y - shown.y) * c.height }
        await mouse.move(aim.x, aim.y, { steps: 8 })
      }
      await mouse.up()
    } finally {
      await mouse.detach()
    }
  }

  /** Drag widget `id` by its header so that it moves by (x, y) cells. */
  async moveBy(id: string, by: { x: number; y: number }, steps = 20): Promise<void> {
    const head = this.widget(id).locator('.widget-drag-handle')
    const box = await head.boundingBox()
    if (!box) throw new Error(`widget ${id} has no drag handle on screen`)
    const c = await this.cells()
    const start = { x: box.x + 40, y: box.y + box.height / 2 }
    const mouse = await RealMouse.of(this.page)
    try {
      await mouse.move(start.x, start.y)
      await mouse.down()
      await mouse.move(start.x + by.x * c.width, start.y + by.y * c.height, { steps })
      await mouse.up()
    } finally {
      await mouse.detach()
    }
  }

  /** Resize widget `id` with the mouse from one of its handles ('se', 'e', 's', 'sw', 'w') by (w, h) cells. */
  async resizeBy(id: string, handle: 'e' | 'se' | 's' | 'sw' | 'w', by: { w: number; h: number }): Promise<void> {
    const item = this.widget(id)
    await item.hover() // handles show on hover on a desktop
    const grip = item.locator(`.ui-resizable-${handle}`)
    const box = await grip.boundingBox()
    if (!box) throw new Error(`widget ${id} has no ${handle} resize handle on screen`)
    const c = await this.cells()
    const start = { x: box.x + box.width / 2, y: box.y + box.height / 2 }
    // A quarter cell past the target: gridstack snaps the size to the nearest cell on release.
    const past = (n: number) => (n === 0 ? 0 : n + Math.sign(n) * 0.25)
    const dx = past(handle.includes('w') ? -by.w : handle.includes('e') ? by.w : 0) * c.width
    const dy = past(handle.includes('s') ? by.h : 0) * c.height
    const mouse = await RealMouse.of(this.page)
    try {
      await mouse.move(start.x, start.y)
      await mouse.down()
      await mouse.move(start.x + dx, start.y + dy, { steps: 15 })
      await mouse.up()
    } finally {
      await mouse.detach()
    }
  }

  async openSettings(id: string): Promise<void> {
    await this.page.getByTestId(`widget-menu-${id}`).click()
    await this.page.getByTestId(`widget-settings-${id}`).click()
    await expect(this.page.getByTestId('settings-dialog')).toBeVisible()
  }
}
