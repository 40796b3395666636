import { expect, request as playwrightRequest, type Browser, type BrowserContext, type Page } from '@playwright/test'
import { ACCOUNTS, type Role } from './accounts'
import { serverUrl } from './fixtures'

let counter = 0
const opened: BrowserContext[] = []

/** Close the contexts openAs made (call in afterEach: open windows count as other editors). */
export async function closeOpened(): Promise<void> {
  for (const context of opened.splice(0)) await context.close().catch(() => {})
}

export interface Person {
  email: string
  password: string
  role: Role
  /** A bearer token of this person (API set-up and checks). */
  token: string
}

/**
 * A person of its own for one journey (made by the admin through the API), so journeys that
 * edit a layout never see each other's edits, whatever order they run in.
 */
export async function freshPerson(role: Role = 'user'): Promise<Person> {
  const api = await playwrightRequest.newContext({ baseURL: serverUrl() })
  try {
    const admin = await api.post('/api/auth/login', { data: { email: ACCOUNTS.admin.email, password: ACCOUNTS.admin.password } })
    expect(admin.status()).toBe(200)
    const adminToken = ((await admin.json()) as { access_token: string }).access_token
    counter += 1
    const email = `${role}-${Date.now().toString(36)}-${counter}@e2e.test`
    const password = 'fresh-journey-person-42'
    const created = await api.post('/api/users', {
      data: { email, password, role, name: `Fresh ${role} ${counter}` },
      headers: { Authorization: `Bearer ${adminToken}` },
    })
    expect(created.status(), await created.text()).toBe(201)
    const login = await api.post('/api/auth/login', { data: { email, password } })
    expect(login.status()).toBe(200)
    const token = ((await login.json()) as { access_token: string }).access_token
    return { email, password, role, token }
  } finally {
    await api.dispose()
  }
}

/** Save `widgets` as the person's layout (their first version), before the browser opens. */
export async function saveLayout(person: Person, widgets: unknown[]): Promise<{ version: number }> {
  const api = await playwrightRequest.newContext({ baseURL: serverUrl() })
  try {
    const response = await api.post('/api/layout/me', {
      data: { grid: { columns: 12, row_height: 80 }, widgets },
      headers: { Authorization: `Bearer ${person.token}` },
    })
    expect(response.status(), await response.text()).toBe(201)
    return (await response.json()) as { version: number }
  } finally {
    await api.dispose()
  }
}

/** A browser context signed in as `person` (its own refresh cookie). */
export async function openAs(
  browser: Browser,
  person: Person,
  options: { viewport?: { width: number; height: number }; colorScheme?: 'light' | 'dark' } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const api = await playwrightRequest.newContext({ baseURL: serverUrl() })
  const response = await api.post('/api/auth/login', { data: { email: person.email, password: person.password } })
  expect(response.status()).toBe(200)
  const storageState = await api.storageState()
  await api.dispose()
  const context = await browser.newContext({
    baseURL: serverUrl(),
    storageState,
    ...(options.viewport ? { viewport: options.viewport } : {}),
    ...(options.colorScheme ? { colorScheme: options.colorScheme } : {}),
  })
  opened.push(context)
  return { context, page: await context.newPage() }
}
