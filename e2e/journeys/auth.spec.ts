import { ACCOUNTS } from '../support/accounts'
import { expect, test } from '../support/fixtures'
import { DashboardPage } from '../pages/DashboardPage'
import { LoginPage } from '../pages/LoginPage'
import { RegisterPage } from '../pages/RegisterPage'

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

test.describe('registration', () => {
  test('a new person registers, is told to sign in, and signs in', async ({ page }) => {
    const email = `nora-${Date.now().toString(36)}@e2e.test`
    const password = 'three unrelated words'
    const login = new LoginPage(page)
    await login.goto()
    await page.getByTestId('register-link').click()
    const register = new RegisterPage(page)
    await register.register('Nora Newcomer', email, password)
    // The same answer whether or not the email had an account; no session is opened.
    await expect(register.accepted).toContainText('sign in with the password you chose')
    await register.toSignIn.click()
    await expect(page).toHaveURL(/\/login/)
    await login.signIn(email, password)
    await new DashboardPage(page).ready()
  })

  test('a registration with a taken email answers the same and leaves the account alone', async ({ page }) => {
    const register = new RegisterPage(page)
    await register.goto()
    await register.register('Someone Else', ACCOUNTS.user.email, 'an attempt to take over')
    await expect(register.accepted).toContainText('sign in with the password you chose')
    const login = new LoginPage(page)
    await login.goto()
    await login.signIn(ACCOUNTS.user.email, 'an attempt to take over')
    await expect(login.error).toHaveText('Wrong email or password.')
  })

  test('a common password is refused with the reason, on the password field', async ({ page }) => {
    const register = new RegisterPage(page)
    await register.goto()
    await register.register('Pat Common', `pat-${Date.now().toString(36)}@e2e.test`, '1q2w3e4r5t6y7u8i9o0p')
    await expect(register.passwordError).toContainText('too common')
    await expect(register.password).toHaveAttribute('aria-invalid', 'true')
    await expect(register.accepted).toHaveCount(0)
  })
})
