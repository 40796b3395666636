import { clientId } from './clientId'
import { ApiError } from './errors'

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
export type Query = Record<string, string | number | boolean | null | undefined | string[]>

export interface RequestOptions {
  body?: unknown
  query?: Query
  signal?: AbortSignal
  /** Skip the one transparent refresh-and-retry on 401 (used by the auth calls themselves). */
  noRefresh?: boolean
}

export interface TokenPayload {
  access_token: string
  token_type: 'bearer'
  expires_in: number
  user: unknown
}

/** The access token lives in memory only; the refresh token is an httpOnly cookie. */
let accessToken: string | null = null
let refreshing: Promise<TokenPayload | null> | null = null
const tokenListeners = new Set<(payload: TokenPayload | null) => void>()

export function getAccessToken(): string | null {
  return accessToken
}

export function setAccessToken(token: string | null): void {
  accessToken = token
}

/** Be told when a refresh produced a new token (payload) or failed (null: the session is over). */
export function onTokenChange(listener: (payload: TokenPayload | null) => void): () => void {
  tokenListeners.add(listener)
  return () => tokenListeners.delete(listener)
}

function buildUrl(path: string, query?: Query): string {
  if (!query) return path
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue
    if (Array.isArray(value)) value.forEach((v) => params.append(key, v))
    else params.append(key, String(value))
  }
  const text = params.toString()
  return text ? `${path}?${text}` : path
}

async function readBody(response: Response): Promise<unknown> {
  if (response.status === 204) return null
  const text = await response.text()
  if (!text) return null
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}

async function send(method: HttpMethod, path: string, options: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json', 'X-Client-Id': clientId }
  if (options.body !== undefined) headers['Content-Type'] = 'application/json'
  if (accessToken) headers.Authorization = `Bearer ${accessToken}`
  try {
    return await fetch(buildUrl(path, options.query), {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: 'same-origin',
      signal: options.signal,
    })
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error
    throw new ApiError(0, 'network error', null)
  }
}

/** The Web Lock that lets one tab at a time trade the (shared) refresh cookie. */
export const REFRESH_LOCK = 'deskboard.auth.refresh'

/**
 * Run `work` while holding the cross-tab refresh lock. Refresh tokens rotate and a token used
 * twice ends the whole session, so tabs of one browser that refresh together (opened at once,
 * woken from sleep with expired tokens) must take turns: the next one then sends the cookie the
 * previous one received. Without Web Locks (a non-secure origin) the work runs at once.
 */
function withRefreshLock<T>(work: () => Promise<T>): Promise<T> {
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks
  if (!locks || typeof locks.request !== 'function') return work()
  return locks.request(REFRESH_LOCK, work) as Promise<T>
}

/**
 * Trade the refresh cookie for a new access token. Concurrent callers share one request, so a
 * burst of 401s causes a single refresh; other tabs wait their turn (withRefreshLock).
 * Resolves null when the session is gone.
 */
export function refreshAccessToken(): Promise<TokenPayload | null> {
  if (!refreshing) {
    refreshing = (async () => {
      try {
        const response = await withRefreshLock(() => send('POST', '/api/auth/refresh', {}))
        if (!response.ok) {
          if (response.status === 401 || response.status === 403) {
            accessToken = null
            tokenListeners.forEach((listener) => listener(null))
            return null
          }
          const body = await readBody(response)
          throw new ApiError(response.status, detailOf(body), body)
        }
        const payload = (await readBody(response)) as TokenPayload
        accessToken = payload.access_token
        tokenListeners.forEach((listener) => listener(payload))
        return payload
      } finally {
        refreshing = null
      }
    })()
  }
  return refreshing
}

function detailOf(body: unknown): unknown {
  if (body && typeof body === 'object' && 'detail' in body) return (body as { detail: unknown }).detail
  return body
}

/** Call the API; JSON in and out, errors as ApiError, one transparent refresh on a 401. */
export async function request<T>(
  method: HttpMethod,
  path: string,
  options: RequestOptions = {},
): Promise<T> {
  let response = await send(method, path, options)
  if (response.status === 401 && !options.noRefresh && accessToken !== null) {
    const refreshed = await refreshAccessToken()
    if (refreshed) response = await send(method, path, options)
  }
  const body = await readBody(response)
  if (!response.ok) throw new ApiError(response.status, detailOf(body), body)
  return body as T
}

export const api = {
  get: <T>(path: string, options?: Omit<RequestOptions, 'body'>) => request<T>('GET', path, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) =>
    request<T>('POST', path, { ...options, body }),
  put: <T>(path: string, body?: unknown, options?: RequestOptions) =>
    request<T>('PUT', path, { ...options, body }),
  patch: <T>(path: string, body?: unknown, options?: RequestOptions) =>
    request<T>('PATCH', path, { ...options, body }),
  delete: <T>(path: string, options?: RequestOptions) => request<T>('DELETE', path, options),
}
