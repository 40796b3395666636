import { expect, type Locator, type Page } from '@playwright/test'

/** The ticket-working widgets (list, drawer, new-ticket form) as a person uses them. */
export class TicketWidgets {
  readonly drawer: Locator

  constructor(readonly page: Page) {
    this.drawer = page.getByTestId('ticket-drawer')
  }

  /** The ticket-list widget `widgetId`. */
  list(widgetId: string): Locator {
    return this.page.getByTestId(`widget-${widgetId}`)
  }

  row(widgetId: string, ticketId: number): Locator {
    return this.list(widgetId).getByTestId(`ticket-row-${ticketId}`)
  }

  rows(widgetId: string): Locator {
    return this.list(widgetId).locator('tbody tr[data-testid^="ticket-row-"]')
  }

  async setStatusInline(widgetId: string, ticketId: number, status: string): Promise<void> {
    const select = this.row(widgetId, ticketId).getByTestId(`ticket-status-${ticketId}`)
    const saved = this.page.waitForResponse((r) => r.request().method() === 'PUT' && r.url().endsWith(`/api/tickets/${ticketId}`))
    await select.selectOption(status)
    expect((await saved).status()).toBe(200)
    await expect(select).toHaveValue(status)
  }

  async open(widgetId: string, ticketId: number): Promise<void> {
    await this.row(widgetId, ticketId).getByTestId(`ticket-open-${ticketId}`).click()
    await expect(this.drawer).toBeVisible()
  }

  async addReply(text: string, options: { internal: boolean }): Promise<void> {
    const internal = this.drawer.getByTestId('reply-internal')
    if (options.internal) await internal.check()
    else if (await internal.count()) await internal.uncheck()
    await this.drawer.getByTestId('reply-body').fill(text)
    await this.drawer.getByTestId('reply-submit').click()
    await expect(this.drawer.getByRole('status').filter({ hasText: options.internal ? 'Internal note added' : 'Reply sent' })).toBeVisible()
  }

  async closeDrawer(): Promise<void> {
    await this.drawer.getByTestId('ticket-drawer-close').click()
    await expect(this.drawer).toHaveCount(0)
  }

  /** Fill and send the new-ticket widget `widgetId`; resolves with the created ticket's id. */
  async createTicket(widgetId: string, data: { title: string; description?: string; priority?: string; tags?: string }): Promise<number> {
    const form = this.page.getByTestId(`widget-${widgetId}`)
    await form.getByTestId('new-ticket-title').fill(data.title)
    if (data.description) await form.getByTestId('new-ticket-description').fill(data.description)
    if (data.priority) await form.getByTestId('new-ticket-priority').selectOption(data.priority)
    if (data.tags) await form.getByTestId('new-ticket-tags').fill(data.tags)
    const created = this.page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/tickets'))
    await form.getByTestId('new-ticket-submit').click()
    const response = await created
    expect(response.status()).toBe(201)
    await expect(form.getByTestId('new-ticket-created')).toBeVisible()
    return ((await response.json()) as { id: number }).id
  }
}
