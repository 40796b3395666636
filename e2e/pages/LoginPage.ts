import { expect, type Locator, type Page } from '@playwright/test'

export class LoginPage {
  readonly email: Locator
  readonly password: Locator
  readonly submit: Locator
  readonly error: Locator

  constructor(readonly page: Page) {
    this.email = page.getByTestId('login-email')
    this.password = page.getByTestId('login-password')
    this.submit = page.getByTestId('login-submit')
    this.error = page.getByTestId('login-error')
  }

  async goto(): Promise<void> {
    await this.page.goto('/login')
    await expect(this.submit).toBeVisible()
  }

  async signIn(email: string, password: string): Promise<void> {
    await this.email.fill(email)
    await this.password.fill(password)
    await this.submit.click()
  }
}
