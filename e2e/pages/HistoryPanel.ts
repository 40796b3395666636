import { expect, type Locator, type Page } from '@playwright/test'

export class HistoryPanel {
  readonly panel: Locator
  readonly notice: Locator

  constructor(readonly page: Page) {
    this.panel = page.getByTestId('history-panel')
    this.notice = page.getByTestId('history-notice')
  }

  async open(): Promise<void> {
    await this.page.getByTestId('history-open').click()
    await expect(this.panel).toBeVisible()
  }

  item(version: number): Locator {
    return this.page.getByTestId(`history-item-${version}`)
  }

  restoreButton(version: number): Locator {
    return this.page.getByTestId(`history-restore-${version}`)
  }

  async restore(version: number): Promise<void> {
    await this.restoreButton(version).click()
    await expect(this.notice).toContainText(`Version ${version} restored`)
  }

  async close(): Promise<void> {
    await this.page.getByTestId('history-close').click()
    await expect(this.panel).toHaveCount(0)
  }
}
