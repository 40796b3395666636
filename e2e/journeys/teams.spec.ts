import { join } from 'node:path'
import { expect, test } from '../support/fixtures'

/**
 * Issue 13's teams: an admin sets up a restricted team with a member on /settings/teams and
 * moves a ticket into it from the ticket drawer; the agent outside the team, who saw the ticket
 * a moment before, no longer finds it in the list or by its address.
 */

const shots = join(__dirname, '..', 'artifacts', 'screenshots', 'teams')
const run = Date.now().toString(36)

interface Ticket {
  id: number
  number: number
  version: number
  team_id: number | null
}

interface Team {
  id: number
  name: string
}

test("a restricted team hides its ticket from an agent outside it", async ({ apiAs, signIn }) => {
  const admin = await apiAs('admin')
  const requester = await apiAs('user')
  const member = await admin.send<{ id: number; name: string }>('POST', '/api/users', {
    email: `hr-agent-${run}@e2e.test`,
    name: `Hana HR ${run}`,
    password: 'velvet-thistle-gazebo-77',
    role: 'agent',
  })
  expect(member.status, JSON.stringify(member.body)).toBe(201)
  const title = `Payroll mismatch ${run}`
  const ticket = await requester.send<Ticket>('POST', '/api/tickets', { title, description: 'March is short.' })
  expect(ticket.status).toBe(201)
  const listAddress = `/tickets?filter=${encodeURIComponent(JSON.stringify({ q: `mismatch ${run}` }))}`

  // The agent (in no team) sees the ticket while it belongs to no team.
  const agentPage = await signIn('agent')
  await agentPage.goto(listAddress)
  await expect(agentPage.getByTestId(`tickets-row-${ticket.body.id}`)).toBeVisible()

  // The admin creates the team, restricts it and adds the member.
  const page = await signIn('admin')
  await page.emulateMedia({ colorScheme: 'light' })
  await page.goto('/')
  await page.getByRole('button', { name: /Account menu/ }).click()
  await page.getByTestId('menu-teams').click()
  await expect(page.getByTestId('teams-page')).toBeVisible()
  const teamName = `Payroll ${run}`
  await page.getByTestId('team-create-name').fill(teamName)
  await page.getByTestId('team-create-restrict').check()
  const created = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/teams'))
  await page.getByTestId('team-create-submit').click()
  const team = (await (await created).json()) as Team
  await expect(page.getByTestId('teams-status')).toContainText(`“${teamName}” created`)
  const row = page.getByTestId(`team-row-${team.id}`)
  await expect(page.getByTestId(`team-restrict-${team.id}`)).toBeChecked()
  await row.getByTestId(`team-member-${team.id}-${member.body.id}`).check()
  const saved = page.waitForResponse((r) => r.request().method() === 'PATCH' && r.url().endsWith(`/api/teams/${team.id}`))
  await page.getByTestId(`team-save-${team.id}`).click()
  expect((await saved).status()).toBe(200)
  await expect(page.getByTestId('teams-status')).toContainText(`“${teamName}” saved`)
  await expect(row.getByRole('group', { name: /Members \(1\)/ })).toBeVisible()
  await page.screenshot({ path: join(shots, 'teams-light.png'), fullPage: true })
  await page.emulateMedia({ colorScheme: 'dark' })
  await page.waitForTimeout(300) // let the 150 ms colour transitions end before the picture
  await page.screenshot({ path: join(shots, 'teams-dark.png'), fullPage: true })
  await page.emulateMedia({ colorScheme: 'light' })

  // The admin moves the ticket into the team from its drawer.
  await page.goto(`/tickets/${ticket.body.id}`)
  const drawer = page.getByTestId('ticket-drawer')
  await expect(drawer.getByTestId('ticket-title')).toContainText(title)
  const select = drawer.getByTestId('ticket-team')
  await expect(select.locator('option', { hasText: `${teamName} (restricted)` })).toHaveCount(1)
  const moved = page.waitForResponse((r) => r.request().method() === 'PUT' && r.url().endsWith(`/api/tickets/${ticket.body.id}`))
  await select.selectOption(String(team.id))
  expect((await moved).status()).toBe(200)
  await expect(select).toHaveValue(String(team.id))
  await page.screenshot({ path: join(shots, 'ticket-team-light.png') })
  await page.emulateMedia({ colorScheme: 'dark' })
  await page.waitForTimeout(300)
  await page.screenshot({ path: join(shots, 'ticket-team-dark.png') })

  // The agent outside the team no longer finds it: not in the list, not by its address.
  await agentPage.goto(listAddress)
  await expect(agentPage.getByTestId('tickets-empty')).toBeVisible()
  await expect(agentPage.getByTestId(`tickets-row-${ticket.body.id}`)).toHaveCount(0)
  await agentPage.goto(`/tickets/${ticket.body.id}`)
  await expect(agentPage.getByTestId('ticket-missing')).toBeVisible()
  // The admin still lists it, with its team.
  await page.goto(listAddress)
  await expect(page.getByTestId(`tickets-row-${ticket.body.id}`)).toContainText(teamName)

  // Leave the shared server as found: the ticket back to no team, the team gone.
  const current = await admin.get<Ticket>(`/api/tickets/${ticket.body.id}`)
  const back = await admin.send('PUT', `/api/tickets/${ticket.body.id}`, { version: current.body.version, team_id: null })
  expect(back.status).toBe(200)
  expect((await admin.send('DELETE', `/api/teams/${team.id}`)).status).toBe(204)
})
