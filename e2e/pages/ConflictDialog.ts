import type { Locator, Page } from '@playwright/test'

export class ConflictDialog {
  readonly dialog: Locator
  readonly keepMine: Locator
  readonly keepTheirs: Locator
  readonly saveCopy: Locator
  readonly remoteBanner: Locator
  readonly remoteMerge: Locator
  readonly remoteDiscard: Locator

  constructor(readonly page: Page) {
    this.dialog = page.getByTestId('conflict-dialog')
    this.keepMine = page.getByTestId('conflict-keep-mine')
    this.keepTheirs = page.getByTestId('conflict-keep-theirs')
    this.saveCopy = page.getByTestId('conflict-save-copy')
    this.remoteBanner = page.getByTestId('remote-change')
    this.remoteMerge = page.getByTestId('remote-merge')
    this.remoteDiscard = page.getByTestId('remote-discard')
  }

  row(widgetId: string): Locator {
    return this.page.getByTestId(`conflict-row-${widgetId}`)
  }
}
