import { test as base, expect, request as playwrightRequest, type APIRequestContext, type BrowserContext, type Page } from '@playwright/test'
import { ACCOUNTS, type Role } from './accounts'

type StorageState = Awaited<ReturnType<APIRequestContext['storageState']>>

export function serverUrl(): string {
  const url = process.env.DESKBOARD_E2E_BASE_URL
  if (!url) throw new Error('DESKBOARD_E2E_BASE_URL is not set: run through playwright.config.ts (global setup)')
  return url
}

/**
 * The sign-in step: one API sign-in per call, whose storage (the httpOnly refresh cookie) a
 * browser context then starts from. Refresh tokens rotate and a reused one ends the session, so
 * every context gets its own sign-in rather than sharing one saved file.
 */
export async function signedInStorage(role: Role): Promise<StorageState> {
  const account = ACCOUNTS[role]
  const api = await playwrightRequest.newContext({ baseURL: serverUrl() })
  const response = await api.post('/api/auth/login', { data: { email: account.email, password: account.password } })
  expect(response.status(), `sign-in of ${account.email}`).toBe(200)
  const state = await api.storageState()
  await api.dispose()
  return state
}

/** A bearer-token API client for one role (what another device or script would do). */
export class ApiAs {
  private constructor(
    readonly request: APIRequestContext,
    readonly token: string,
  ) {}

  static async create(role: Role): Promise<ApiAs> {
    const account = ACCOUNTS[role]
    const request = await playwrightRequest.newContext({ baseURL: serverUrl() })
    const response = await request.post('/api/auth/login', { data: { email: account.email, password: account.password } })
    expect(response.status()).toBe(200)
    const body = (await response.json()) as { access_token: string }
    return new ApiAs(request, body.access_token)
  }

  private headers(): Record<string, string> {
    return { Authorization: `Bearer ${this.token}` }
  }

  async get<T>(path: string): Promise<{ status: number; body: T }> {
    const response = await this.request.get(path, { headers: this.headers() })
    return { status: response.status(), body: (await response.json().catch(() => null)) as T }
  }

  async send<T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, data?: unknown): Promise<{ status: number; body: T }> {
    const response = await this.request.fetch(path, { method, data, headers: this.headers() })
    return { status: response.status(), body: (await response.json().catch(() => null)) as T }
  }

  async dispose(): Promise<void> {
    await this.request.dispose()
  }
}

interface Fixtures {
  /** Open a new browser context signed in as `role` (several may be open at once). */
  signIn: (role: Role, options?: { viewport?: { width: number; height: number } }) => Promise<Page>
  apiAs: (role: Role) => Promise<ApiAs>
}

export const test = base.extend<Fixtures>({
  baseURL: async ({}, use) => {
    await use(serverUrl())
  },
  signIn: async ({ browser }, use) => {
    const contexts: BrowserContext[] = []
    await use(async (role, options = {}) => {
      const context = await browser.newContext({
        baseURL: serverUrl(),
        storageState: await signedInStorage(role),
        ...(options.viewport ? { viewport: options.viewport } : {}),
      })
      contexts.push(context)
      return context.newPage()
    })
    for (const context of contexts) await context.close()
  },
  apiAs: async ({}, use) => {
    const clients: ApiAs[] = []
    await use(async (role) => {
      const client = await ApiAs.create(role)
      clients.push(client)
      return client
    })
    for (const client of clients) await client.dispose()
  },
})

export { expect }
