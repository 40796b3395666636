import { expect, type Locator, type Page } from '@playwright/test'

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
}
