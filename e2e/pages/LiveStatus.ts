import { expect, type Locator, type Page, type Response } from '@playwright/test'

/** The realtime parts of the shell: connection indicator, presence notice, remote-change banner. */
export class LiveStatus {
  readonly connection: Locator
  readonly presence: Locator
  readonly remoteBanner: Locator
  readonly remoteMerge: Locator
  readonly remoteDiscard: Locator

  constructor(readonly page: Page) {
    this.connection = page.getByTestId('connection-status')
    this.presence = page.getByTestId('presence')
    this.remoteBanner = page.getByTestId('remote-change')
    this.remoteMerge = page.getByTestId('remote-merge')
    this.remoteDiscard = page.getByTestId('remote-discard')
  }

  async expectConnection(state: 'live' | 'connecting' | 'reconnecting' | 'offline', timeout?: number): Promise<void> {
    const words = { live: 'Connected', connecting: 'Connecting', reconnecting: 'Reconnecting', offline: 'Offline' }
    await expect(this.connection).toHaveAttribute('data-state', state, { timeout })
    await expect(this.connection).toContainText(words[state])
  }

  /** Resolves with the response of the next layout write (POST/PUT/DELETE of /api/layout/me). */
  nextLayoutWrite(): Promise<Response> {
    return this.page.waitForResponse(
      (r) => /\/api\/layout\/me(\/|$)/.test(new URL(r.url()).pathname) && r.request().method() !== 'GET',
    )
  }
}
