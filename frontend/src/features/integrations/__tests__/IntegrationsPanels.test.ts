import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ApiTokensPanel from '../ApiTokensPanel.vue'
import WebhooksPanel from '../WebhooksPanel.vue'

type Handler = (method: string, url: string, body: unknown) => { status: number; body?: unknown }

function serve(handler: Handler) {
  const calls: { method: string; url: string; body: unknown }[] = []
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input)
    const method = init?.method ?? 'GET'
    const body = init?.body ? JSON.parse(String(init.body)) : undefined
    calls.push({ method, url, body })
    const answer = handler(method, url, body)
    return new Response(answer.status === 204 ? null : JSON.stringify(answer.body ?? null), {
      status: answer.status,
      headers: { 'Content-Type': 'application/json' },
    })
  })
  vi.stubGlobal('fetch', fetchMock)
  return calls
}

const hook = {
  id: 3,
  url: 'https://crm.example/hook',
  events: ['ticket.created'],
  enabled: true,
  created_at: '2026-12-05T10:00:00Z',
  updated_at: '2026-12-05T10:00:00Z',
}

afterEach(() => vi.unstubAllGlobals())

describe('webhooks panel', () => {
  it('shows the secret once after creating, then sends a test and lists its delivery', async () => {
    let hooks: unknown[] = []
    const calls = serve((method, url) => {
      if (method === 'GET' && url.endsWith('/api/webhooks')) return { status: 200, body: hooks }
      if (method === 'POST' && url.endsWith('/api/webhooks')) {
        hooks = [hook]
        return { status: 201, body: { ...hook, secret: 'whsec_once' } }
      }
      if (method === 'POST' && url.endsWith('/api/webhooks/3/test')) return { status: 202, body: {} }
      if (url.endsWith('/api/webhooks/3/deliveries'))
        return {
          status: 200,
          body: [{ id: 9, event_type: 'ping', status: 'delivered', attempts: 1, response_status: 200, created_at: 'x' }],
        }
      return { status: 404, body: { detail: 'no' } }
    })
    const panel = mount(WebhooksPanel)
    await flushPromises()
    await panel.get('[data-testid="webhook-url"]').setValue('https://crm.example/hook')
    await panel.get('form').trigger('submit')
    await flushPromises()

    expect(panel.get('[data-testid="webhook-secret"]').text()).toContain('whsec_once')
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({
      url: 'https://crm.example/hook',
      events: ['ticket.created', 'ticket.updated'],
    })
    await panel.get('[data-testid="webhook-test-3"]').trigger('click')
    await flushPromises()
    const log = panel.get('[data-testid="webhook-deliveries-3"]').text()
    expect(log).toContain('ping')
    expect(log).toContain('delivered')
  })

  it('shows the server reason when a URL is refused', async () => {
    serve((method) =>
      method === 'POST'
        ? { status: 422, body: { detail: [{ loc: ['body', 'url'], msg: 'only http and https URLs may be called' }] } }
        : { status: 200, body: [] },
    )
    const panel = mount(WebhooksPanel)
    await flushPromises()
    await panel.get('[data-testid="webhook-url"]').setValue('https://x.example')
    await panel.get('form').trigger('submit')
    await flushPromises()
    expect(panel.get('[data-testid="webhooks-error"]').text()).toContain('only http and https')
    expect(panel.find('[data-testid="webhook-secret"]').exists()).toBe(false)
  })
})

describe('API tokens panel', () => {
  it('shows the token once and revokes a token', async () => {
    let tokens: unknown[] = []
    const calls = serve((method, url) => {
      if (method === 'GET') return { status: 200, body: tokens }
      if (method === 'POST') {
        tokens = [{ id: 4, name: 'CRM', scopes: ['tickets:read'], prefix: 'dbk_abcdefgh', user_id: 7, created_at: 'x', last_used_at: null }]
        return { status: 201, body: { ...(tokens[0] as object), token: 'dbk_secret_value' } }
      }
      if (method === 'DELETE' && url.endsWith('/api/api-tokens/4')) {
        tokens = []
        return { status: 204 }
      }
      return { status: 404, body: { detail: 'no' } }
    })
    vi.stubGlobal('confirm', () => true)
    const panel = mount(ApiTokensPanel)
    await flushPromises()
    await panel.get('[data-testid="api-token-name"]').setValue('CRM')
    await panel.get('form').trigger('submit')
    await flushPromises()

    expect(panel.get('[data-testid="api-token-value"]').text()).toContain('dbk_secret_value')
    expect(panel.get('[data-testid="api-token-4"]').text()).not.toContain('dbk_secret_value')
    await panel.get('[data-testid="api-token-revoke-4"]').trigger('click')
    await flushPromises()
    expect(calls.some((c) => c.method === 'DELETE')).toBe(true)
    expect(panel.find('[data-testid="api-token-4"]').exists()).toBe(false)
  })
})
