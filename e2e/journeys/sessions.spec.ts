import { request as playwrightRequest, type Page } from '@playwright/test'
import { ACCOUNTS } from '../support/accounts'
import { expect, serverUrl, test } from '../support/fixtures'
import { DashboardPage } from '../pages/DashboardPage'
import { LiveStatus } from '../pages/LiveStatus'
import { closeOpened, freshPerson, openAs, type Person } from '../support/people'

/*
 * Sessions that end with their reason (issue 9, item 6): a role change or a sign-out elsewhere
 * ends the person's access tokens and closes their sockets (4003); an open window refreshes,
 * reconnects and goes on under the person's current role, without signing in again.
 */

test.afterEach(closeOpened)

/** Change a person's account as the admin would (PATCH /api/users/{id}). */
async function adminPatch(person: Person, changes: Record<string, unknown>): Promise<void> {
  const api = await playwrightRequest.newContext({ baseURL: serverUrl() })
  try {
    const me = await api.get('/api/auth/me', { headers: { Authorization: `Bearer ${person.token}` } })
    const { id } = (await me.json()) as { id: number }
    const login = await api.post('/api/auth/login', { data: { email: ACCOUNTS.admin.email, password: ACCOUNTS.admin.password } })
    const { access_token: token } = (await login.json()) as { access_token: string }
    const response = await api.patch(`/api/users/${id}`, { data: changes, headers: { Authorization: `Bearer ${token}` } })
    expect(response.status(), await response.text()).toBe(200)
  } finally {
    await api.dispose()
  }
}

/** Open the dashboard as `person`, live; count the sockets the page opens. */
async function openLive(browser: import('@playwright/test').Browser, person: Person) {
  const { page } = await openAs(browser, person)
  const sockets = { opened: 0 }
  page.on('websocket', () => (sockets.opened += 1))
  const dashboard = new DashboardPage(page)
  await dashboard.goto()
  const live = new LiveStatus(page)
  await live.expectConnection('live')
  return { page, dashboard, live, sockets }
}

async function roleShown(page: Page): Promise<ReturnType<Page['getByTestId']>> {
  await page.getByTestId('user-menu').click()
  return page.getByTestId('user-role')
}

test("a demoted agent's open window goes on as a user, live, without signing in again", async ({ browser }) => {
  const agent = await freshPerson('agent')
  const { page, live, sockets } = await openLive(browser, agent)
  const role = await roleShown(page)
  await expect(role).toHaveText('Agent')
  expect(sockets.opened).toBe(1)

  await adminPatch(agent, { role: 'user' })

  // The socket was closed (4003); the window refreshed its token and reconnected as a user.
  await expect(role).toHaveText('User', { timeout: 5000 })
  await expect.poll(() => sockets.opened).toBe(2)
  await live.expectConnection('live')
  await expect(page).not.toHaveURL(/\/login/)
})

test("signing out in one window leaves the person's other window signed in and live", async ({ browser }) => {
  const person = await freshPerson('user')
  const leaving = await openLive(browser, person)
  const staying = await openLive(browser, person)

  await leaving.dashboard.signOut()
  await expect(leaving.page).toHaveURL(/\/login/)

  // The other window's access token and socket ended with the sign-out; its own session did not.
  await expect.poll(() => staying.sockets.opened).toBe(2)
  await staying.live.expectConnection('live')
  await expect(staying.page).not.toHaveURL(/\/login/)
  await staying.page.reload()
  await staying.live.expectConnection('live')
  await expect(staying.page).not.toHaveURL(/\/login/)
})
