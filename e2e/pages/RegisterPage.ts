import { expect, type Locator, type Page } from '@playwright/test'

export class RegisterPage {
  readonly name: Locator
  readonly email: Locator
  readonly password: Locator
  readonly passwordError: Locator
  readonly submit: Locator
  readonly accepted: Locator
  readonly toSignIn: Locator

  constructor(readonly page: Page) {
    this.name = page.getByTestId('register-name')
    this.email = page.getByTestId('register-email')
    this.password = page.getByTestId('register-password')
    this.passwordError = page.getByTestId('register-password-error')
    this.submit = page.getByTestId('register-submit')
    this.accepted = page.getByTestId('register-accepted')
    this.toSignIn = page.getByTestId('register-to-login')
  }

  async goto(): Promise<void> {
    await this.page.goto('/register')
    await expect(this.submit).toBeVisible()
  }

  async register(name: string, email: string, password: string): Promise<void> {
    await this.name.fill(name)
    await this.email.fill(email)
    await this.password.fill(password)
    await this.submit.click()
  }
}
