import { join } from 'node:path'
import { expect, test } from '../support/fixtures'
import { ACCOUNTS } from '../support/accounts'
import { SavedReplyPicker } from '../pages/SavedReplyPicker'
import { TicketWidgets } from '../pages/TicketWidgets'

/**
 * Issue 13's saved replies: an agent keeps a reply with variables, opens a ticket, types "/",
 * picks the reply with the keyboard, sees it filled in for that ticket, and sends it.
 */

const shots = join(__dirname, '..', 'artifacts', 'screenshots', 'saved-replies')
const run = Date.now().toString(36)

interface Ticket {
  id: number
  number: number
}

test('an agent inserts a saved reply with "/" and sends it', async ({ apiAs, signIn }) => {
  const agent = await apiAs('agent')
  const requester = await apiAs('user')
  const ticket = await requester.send<Ticket>('POST', '/api/tickets', { title: `Printer on fire ${run}`, description: 'Smoke.' })
  expect(ticket.status).toBe(201)
  const title = `In hand ${run}`
  const made = await agent.send<{ id: number }>('POST', '/api/saved-replies', {
    title,
    body: 'Hello {{ requester.name }}, ticket #{{ ticket.number }} is in hand.\n{{ agent.name }}',
  })
  expect(made.status, JSON.stringify(made.body)).toBe(201)
  const expected = `Hello ${ACCOUNTS.user.name}, ticket #${ticket.body.number} is in hand.\n${ACCOUNTS.agent.name}`

  const page = await signIn('agent')
  await page.emulateMedia({ colorScheme: 'light' })
  await page.goto(`/tickets/${ticket.body.id}`)
  const tickets = new TicketWidgets(page)
  await expect(tickets.drawer.getByTestId('ticket-title')).toContainText(`Printer on fire ${run}`)

  const picker = new SavedReplyPicker(page, tickets.drawer)
  await picker.open(`In hand ${run}`.slice(0, 4))
  await expect(picker.option(title)).toContainText('Personal')
  await page.screenshot({ path: join(shots, 'picker-light.png') })
  await page.emulateMedia({ colorScheme: 'dark' })
  await page.waitForTimeout(300) // let the 150 ms colour transitions end before the picture
  await page.screenshot({ path: join(shots, 'picker-dark.png') })
  await page.emulateMedia({ colorScheme: 'light' })
  await picker.choose(title)
  await expect(picker.editor).toHaveValue(expected)
  await expect(picker.editor).toBeFocused()

  const sent = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith(`/api/tickets/${ticket.body.id}/comments`))
  await tickets.drawer.getByTestId('reply-submit').click()
  expect((await sent).status()).toBe(201)
  const comment = tickets.drawer.locator('[data-testid^="comment-"]').filter({ hasText: `ticket #${ticket.body.number} is in hand` })
  await expect(comment).toBeVisible()
  await expect(comment).toContainText(`Hello ${ACCOUNTS.user.name}`)

  const used = await agent.get<{ usage_count: number }>(`/api/saved-replies/${made.body.id}`)
  expect(used.body.usage_count).toBe(1)

  // The management screen lists it with its use.
  await page.goto('/settings/replies')
  await expect(page.getByTestId(`saved-reply-${made.body.id}`)).toContainText('used 1×')
  await page.screenshot({ path: join(shots, 'settings-light.png') })
  await page.emulateMedia({ colorScheme: 'dark' })
  await page.waitForTimeout(300) // let the 150 ms colour transitions end before the picture
  await page.screenshot({ path: join(shots, 'settings-dark.png') })
  await agent.send('DELETE', `/api/saved-replies/${made.body.id}`)
})
