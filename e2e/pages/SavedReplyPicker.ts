import { expect, type Locator, type Page } from '@playwright/test'

/** The saved-reply picker of a reply editor ("/" at a line's start), driven by the keyboard. */
export class SavedReplyPicker {
  readonly editor: Locator
  readonly picker: Locator

  constructor(
    readonly page: Page,
    scope: Locator,
  ) {
    this.editor = scope.getByTestId('reply-body')
    this.picker = scope.getByTestId('reply-picker')
  }

  /** Type "/" and a filter at the editor's cursor; the picker opens. */
  async open(filter = ''): Promise<void> {
    await this.editor.focus()
    await this.editor.press('/')
    if (filter) await this.editor.pressSequentially(filter)
    await expect(this.picker).toBeVisible()
  }

  option(title: string): Locator {
    return this.picker.getByRole('option').filter({ hasText: title })
  }

  /** Move to the option `title` with the arrow keys and insert it with Enter. */
  async choose(title: string): Promise<void> {
    const options = this.picker.getByRole('option')
    await expect(this.option(title)).toBeVisible()
    for (let step = 0; step < (await options.count()); step++) {
      if ((await this.option(title).getAttribute('aria-selected')) === 'true') break
      await this.editor.press('ArrowDown')
    }
    await expect(this.option(title)).toHaveAttribute('aria-selected', 'true')
    const rendered = this.page.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes('/render'))
    await this.editor.press('Enter')
    expect((await rendered).status()).toBe(200)
    await expect(this.picker).toHaveCount(0)
  }
}
