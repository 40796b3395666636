import { join } from 'node:path'
import { ACCOUNTS } from '../support/accounts'
import { expect, test } from '../support/fixtures'
import { DashboardPage } from '../pages/DashboardPage'
import { LoginPage } from '../pages/LoginPage'

// The main states, kept under e2e/artifacts/screenshots (not committed) for a person to look at.
const shots = join(__dirname, '..', 'artifacts', 'screenshots')

test('screenshots of the main states', async ({ page, signIn }) => {
  const login = new LoginPage(page)
  await login.goto()
  await page.screenshot({ path: join(shots, 'login.png') })
  await login.signIn(ACCOUNTS.user.email, 'wrong-password')
  await expect(login.error).toBeVisible()
  await page.screenshot({ path: join(shots, 'login-error.png') })

  const desktop = await signIn('agent')
  await desktop.emulateMedia({ colorScheme: 'light' })
  const dashboard = new DashboardPage(desktop)
  await dashboard.goto()
  await dashboard.waitLive()
  await expect(dashboard.widgets.first()).toBeVisible()
  await desktop.waitForLoadState('networkidle')
  await desktop.screenshot({ path: join(shots, 'dashboard-light.png') })

  await dashboard.themeToggle.click()
  await expect(desktop.locator('html')).toHaveAttribute('data-theme', 'dark')
  await desktop.screenshot({ path: join(shots, 'dashboard-dark.png') })
  await desktop.reload()
  await expect(desktop.locator('html')).toHaveAttribute('data-theme', 'dark') // the choice persists
  await dashboard.ready()

  await dashboard.startEditing()
  await desktop.getByTestId('history-open').click()
  await expect(desktop.getByTestId('history-panel')).toBeVisible()
  await desktop.screenshot({ path: join(shots, 'dashboard-dark-editing-history.png') })

  const phone = await signIn('user', { viewport: { width: 390, height: 844 } })
  const phoneDashboard = new DashboardPage(phone)
  await phoneDashboard.goto()
  await expect(phoneDashboard.widgets.first()).toBeVisible()
  await phone.waitForLoadState('networkidle')
  await phone.screenshot({ path: join(shots, 'phone.png'), fullPage: true })
  await phoneDashboard.userMenu.click()
  await phone.screenshot({ path: join(shots, 'phone-menu.png') })
})
