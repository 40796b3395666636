import { afterEach, describe, expect, it, vi } from 'vitest'
import { api, ApiError, clientId, getAccessToken, setAccessToken } from '..'

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
}

afterEach(() => {
  setAccessToken(null)
  vi.unstubAllGlobals()
})

describe('api client', () => {
  it('sends the bearer token and the tab id', async () => {
    const fetchMock = vi.fn(async () => json(200, { ok: true }))
    vi.stubGlobal('fetch', fetchMock)
    setAccessToken('abc')
    await expect(api.get('/api/x', { query: { a: 1, b: ['p', 'q'], c: undefined } })).resolves.toEqual({ ok: true })
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit]
    expect(url).toBe('/api/x?a=1&b=p&b=q')
    const headers = init.headers as Record<string, string>
    expect(headers.Authorization).toBe('Bearer abc')
    expect(headers['X-Client-Id']).toBe(clientId)
  })

  it('refreshes once on 401 and retries with the new token', async () => {
    const fetchMock = vi
      .fn()
      .mockResolvedValueOnce(json(401, { detail: 'Token expired' }))
      .mockResolvedValueOnce(json(200, { access_token: 'new', token_type: 'bearer', expires_in: 900, user: {} }))
      .mockResolvedValueOnce(json(200, { done: 1 }))
    vi.stubGlobal('fetch', fetchMock)
    setAccessToken('old')
    await expect(api.get('/api/thing')).resolves.toEqual({ done: 1 })
    expect(fetchMock.mock.calls[1]![0]).toBe('/api/auth/refresh')
    expect((fetchMock.mock.calls[2]![1] as RequestInit).headers).toMatchObject({ Authorization: 'Bearer new' })
    expect(getAccessToken()).toBe('new')
  })

  it('refreshes once when the token was revoked, and does not loop when the retry is refused', async () => {
    const fetchMock = vi.fn(async (url: string) =>
      url === '/api/auth/refresh'
        ? json(200, { access_token: 'new', token_type: 'bearer', expires_in: 900, user: { role: 'user' } })
        : json(401, { detail: 'Token revoked' }),
    )
    vi.stubGlobal('fetch', fetchMock)
    setAccessToken('old')
    const error = (await api.get('/api/thing').catch((e: unknown) => e)) as ApiError
    expect(error).toBeInstanceOf(ApiError)
    expect(error.status).toBe(401)
    expect(fetchMock.mock.calls.map((call) => call[0])).toEqual(['/api/thing', '/api/auth/refresh', '/api/thing'])
    expect(getAccessToken()).toBe('new')
  })

  it('shares one refresh between concurrent 401s', async () => {
    let refreshes = 0
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init: RequestInit) => {
        if (url === '/api/auth/refresh') {
          refreshes++
          return json(200, { access_token: 'new', token_type: 'bearer', expires_in: 900, user: {} })
        }
        const auth = (init.headers as Record<string, string>).Authorization
        return auth === 'Bearer new' ? json(200, { ok: 1 }) : json(401, { detail: 'expired' })
      }),
    )
    setAccessToken('old')
    await Promise.all([api.get('/api/a'), api.get('/api/b'), api.get('/api/c')])
    expect(refreshes).toBe(1)
  })

  it('raises the 401 when the refresh is refused, and forgets the token', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) => (url === '/api/auth/refresh' ? json(401, { detail: 'no session' }) : json(401, { detail: 'expired' }))),
    )
    setAccessToken('old')
    const error = await api.get('/api/a').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect((error as ApiError).status).toBe(401)
    expect(getAccessToken()).toBeNull()
  })

  it('turns errors into ApiError with status, detail and body', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => json(409, { detail: 'stale', current: { version: 4 } })))
    const error = (await api.put('/api/layout/me', {}).catch((e: unknown) => e)) as ApiError
    expect(error.status).toBe(409)
    expect(error.detail).toBe('stale')
    expect(error.body).toEqual({ detail: 'stale', current: { version: 4 } })
    expect(error.message).toBe('stale')
  })

  it('describes a 422 field list and a network failure', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => json(422, { detail: [{ loc: ['body', 'email'], msg: 'bad email' }] })))
    const invalid = (await api.post('/api/x', {}).catch((e: unknown) => e)) as ApiError
    expect(invalid.message).toBe('email: bad email')
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))))
    const offline = (await api.get('/api/x').catch((e: unknown) => e)) as ApiError
    expect(offline.status).toBe(0)
    expect(offline.isNetworkError).toBe(true)
  })
})

describe('refresh across tabs', () => {
  it('trades the refresh cookie while holding the cross-tab lock, one tab at a time', async () => {
    const order: string[] = []
    let queue = Promise.resolve()
    const request = vi.fn((name: string, work: () => Promise<unknown>) => {
      const run = queue.then(async () => {
        order.push(`lock ${name}`)
        try {
          return await work()
        } finally {
          order.push('unlock')
        }
      })
      queue = run.then(
        () => undefined,
        () => undefined,
      )
      return run
    })
    vi.stubGlobal('navigator', { ...navigator, locks: { request } })
    const fetchMock = vi.fn(async () => {
      order.push('refresh')
      return json(200, { access_token: 'fresh', token_type: 'bearer', expires_in: 900, user: {} })
    })
    vi.stubGlobal('fetch', fetchMock)
    const { refreshAccessToken, REFRESH_LOCK } = await import('../client')
    await expect(refreshAccessToken()).resolves.toMatchObject({ access_token: 'fresh' })
    expect(request).toHaveBeenCalledWith(REFRESH_LOCK, expect.any(Function))
    expect(order).toEqual([`lock ${REFRESH_LOCK}`, 'refresh', 'unlock'])
    expect(getAccessToken()).toBe('fresh')
  })
})
