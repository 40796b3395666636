import { ACCOUNTS } from '../support/accounts'
import { expect, test } from '../support/fixtures'
import { DashboardPage } from '../pages/DashboardPage'
import { LoginPage } from '../pages/LoginPage'

test.describe('sign in and sign out', () => {
  test('a wrong password is refused with a clear message', async ({ page }) => {
    const login = new LoginPage(page)
    await login.goto()
    await login.signIn(ACCOUNTS.user.email, 'not-the-password')
    await expect(login.error).toHaveText('Wrong email or password.')
    await expect(page).toHaveURL(/\/login/)
    await expect(login.submit).toBeEnabled()
  })

  test('empty fields are caught before anything is sent', async ({ page }) => {
    const login = new LoginPage(page)
    await login.goto()
    await login.submit.click()
    await expect(login.error).toHaveText('Enter your email and password.')
  })

  test('signing in shows the dashboard; the session survives a reload; signing out ends it', async ({ page }) => {
    await page.goto('/')
    await expect(page).toHaveURL(/\/login/) // signed out: the guard sends us to sign in
    const login = new LoginPage(page)
    await login.signIn(ACCOUNTS.user.email, ACCOUNTS.user.password)
    const dashboard = new DashboardPage(page)
    await dashboard.ready()
    await expect(page).toHaveURL(/\/$/)
    await dashboard.waitLive()
    await expect(dashboard.saveStatus).toHaveText('saved')

    await page.reload()
    await dashboard.ready() // the refresh cookie brought the session back
    await expect(page).not.toHaveURL(/\/login/)

    await dashboard.signOut()
    await expect(page).toHaveURL(/\/login/)
    await page.reload()
    await expect(page).toHaveURL(/\/login/)
    await page.goto('/')
    await expect(page).toHaveURL(/\/login/)
  })

  test('a deep link survives the trip through sign-in', async ({ page }) => {
    await page.goto('/?from=link')
    await expect(page).toHaveURL(/redirect=/)
    const login = new LoginPage(page)
    await login.signIn(ACCOUNTS.agent.email, ACCOUNTS.agent.password)
    await expect(page).toHaveURL(/\/\?from=link$/)
  })
})
