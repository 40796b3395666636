import { join } from 'node:path'
import { expect, test } from '../support/fixtures'
import { ACCOUNTS } from '../support/accounts'
import { TicketWidgets } from '../pages/TicketWidgets'

/**
 * Issue 13's automations: an admin makes a rule "on create with priority urgent -> tag it,
 * assign in turn within a team and notify me"; a new urgent ticket arrives assigned and tagged,
 * its history names the rule, and the rule's run log lists it.
 */

const shots = join(__dirname, '..', 'artifacts', 'screenshots', 'automations')
const run = Date.now().toString(36)

interface Person {
  id: number
  email: string
  name: string
}

test('an admin makes an urgent-ticket rule and sees it applied and logged', async ({ apiAs, signIn }) => {
  const admin = await apiAs('admin')
  const requester = await apiAs('user')
  const staff = await admin.get<{ items: Person[] }>('/api/users?role=agent&limit=200')
  const agent = staff.body.items.find((p) => p.email === ACCOUNTS.agent.email) as Person
  const teamName = `Urgent desk ${run}`
  const team = await admin.send<{ id: number }>('POST', '/api/teams', { name: teamName, member_ids: [agent.id] })
  expect(team.status, JSON.stringify(team.body)).toBe(201)
  const ruleName = `Urgent to the desk ${run}`
  let ruleId: number | null = null

  try {
    const page = await signIn('admin')
    await page.emulateMedia({ colorScheme: 'light' })
    await page.goto('/')
    await page.getByTestId('user-menu').click()
    await page.getByTestId('menu-automations').click()
    await expect(page.getByTestId('automations-page')).toBeVisible()

    await page.getByTestId('automation-new').click()
    const editor = page.getByTestId('rule-editor')
    await editor.getByTestId('rule-name').fill(ruleName)
    await expect(editor.getByTestId('rule-when')).toHaveValue('ticket.created')
    await editor.getByTestId('rule-condition-priority-urgent').check()
    await editor.getByTestId('rule-action-type').selectOption('set')
    await editor.getByTestId('rule-add-action').click()
    await editor.getByTestId('action-0-status').selectOption('')
    await editor.getByTestId('action-0-tags').fill('urgent-desk')
    await editor.getByTestId('action-0-tags').blur()
    await editor.getByTestId('rule-action-type').selectOption('assign')
    await editor.getByTestId('rule-add-action').click()
    await editor.getByTestId('action-1-team').selectOption({ label: teamName })
    await editor.getByTestId('action-1-strategy').selectOption('round_robin')
    await editor.getByTestId('rule-action-type').selectOption('notify')
    await editor.getByTestId('rule-add-action').click()
    await editor.getByTestId('action-2-users').selectOption({ label: ACCOUNTS.admin.name })
    await page.screenshot({ path: join(shots, 'editor-light.png'), fullPage: true })
    const saved = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/automations'))
    await editor.getByTestId('rule-save').click()
    const answer = await saved
    expect(answer.status(), await answer.text()).toBe(201)
    ruleId = ((await answer.json()) as { id: number }).id
    const row = page.getByTestId(`automation-${ruleId}`)
    await expect(row).toContainText(ruleName)
    await expect(row).toContainText('priority urgent')
    await expect(row).toContainText(`Assign in team ${teamName} (round robin)`)
    await expect(row).toContainText(`Notify ${ACCOUNTS.admin.name}`)
    await page.screenshot({ path: join(shots, 'list-light.png'), fullPage: true })
    await page.emulateMedia({ colorScheme: 'dark' })
    await page.waitForTimeout(300) // let the 150 ms colour transitions end before the picture
    await page.screenshot({ path: join(shots, 'list-dark.png'), fullPage: true })
    await page.emulateMedia({ colorScheme: 'light' })

    // A requester files an urgent ticket: it arrives tagged and assigned to the team's agent.
    const ticket = await requester.send<{ id: number; number: number; tags: string[]; assignee: Person | null }>(
      'POST',
      '/api/tickets',
      { title: `Site down ${run}`, priority: 'urgent' },
    )
    expect(ticket.status).toBe(201)
    expect(ticket.body.tags).toEqual(['urgent-desk'])
    expect(ticket.body.assignee?.id).toBe(agent.id)
    const calm = await requester.send<{ assignee: Person | null }>('POST', '/api/tickets', { title: `Typo ${run}` })
    expect(calm.body.assignee).toBeNull()

    await page.goto(`/tickets/${ticket.body.id}`)
    const tickets = new TicketWidgets(page)
    await expect(tickets.drawer.getByTestId('ticket-assignee')).toHaveValue(String(agent.id))
    await tickets.drawer.locator('[data-tab="history"]').click()
    await expect(tickets.drawer.locator('[data-testid^="history-automation-"]').first()).toContainText(ruleName)

    const told = await admin.get<{ items: { kind: string; ticket_id: number }[] }>('/api/notifications')
    expect(told.body.items.some((n) => n.kind === 'automation' && n.ticket_id === ticket.body.id)).toBe(true)

    // The run log lists the run with what it changed.
    await page.goto('/settings/automations')
    await page.getByTestId(`automation-runs-${ruleId}`).click()
    const log = page.getByTestId('run-log')
    const entry = log.locator('tr[data-outcome]').first()
    await expect(entry).toContainText(`#${ticket.body.id}`)
    await expect(entry).toHaveAttribute('data-outcome', 'applied')
    await expect(entry).toContainText(`assignee: none → ${ACCOUNTS.agent.name}`)
    await page.screenshot({ path: join(shots, 'runs-light.png'), fullPage: true })
    await page.emulateMedia({ colorScheme: 'dark' })
    await page.waitForTimeout(300)
    await page.screenshot({ path: join(shots, 'runs-dark.png'), fullPage: true })
    await page.emulateMedia({ colorScheme: 'light' })

    // Turned off, the rule leaves the next urgent ticket alone.
    await page.getByTestId(`automation-toggle-${ruleId}`).click()
    await expect(row).toHaveAttribute('data-enabled', 'false')
    const later = await requester.send<{ assignee: Person | null }>('POST', '/api/tickets', {
      title: `Also down ${run}`,
      priority: 'urgent',
    })
    expect(later.body.assignee).toBeNull()

    // A phone-sized screen.
    const phone = await signIn('admin', { viewport: { width: 390, height: 844 } })
    await phone.goto('/settings/automations')
    await phone.getByTestId(`automation-edit-${ruleId}`).click()
    await expect(phone.getByTestId('rule-editor')).toBeVisible()
    await phone.screenshot({ path: join(shots, 'phone-editor.png'), fullPage: true })
  } finally {
    if (ruleId !== null) await admin.send('DELETE', `/api/automations/${ruleId}`)
    await admin.send('DELETE', `/api/teams/${team.body.id}`)
    await admin.dispose()
    await requester.dispose()
  }
})
