import { describe, expect, it, vi } from 'vitest'
import type { PluginEvent } from '@deskboard/sdk'
import { createFrameRpc } from '../frameRpc'
import type { HostServices } from '../pluginContext'
import type { HostMessage } from '../frameProtocol'

function services() {
  const handlers = new Map<string, (event: PluginEvent) => void>()
  const stops: string[] = []
  const host = {
    request: vi.fn(async (_method: string, url: string) => ({ url })),
    subscribe: vi.fn((type: string, handler: (event: PluginEvent) => void) => {
      handlers.set(type, handler)
      return () => stops.push(type)
    }),
    ui: { openTicket: vi.fn(), openTicketList: vi.fn(), toast: vi.fn() },
  } satisfies HostServices
  return { host, handlers, stops }
}

const scope = { plugin: 'heatmap', coreReads: ['/api/tickets'], events: ['plugin.heatmap.', 'ticket.'] }

describe('the frame RPC', () => {
  it('answers an allowed call through the host client', async () => {
    const { host } = services()
    const posted: HostMessage[] = []
    const rpc = createFrameRpc(scope, host, (m) => posted.push(m))
    await rpc.handle(1, { op: 'api', method: 'GET', path: 'cells', query: { days: 7 } })
    expect(host.request).toHaveBeenCalledWith('GET', '/api/plugins/heatmap/cells', { query: { days: 7 }, body: undefined })
    expect(posted).toEqual([{ deskboard: 1, kind: 'result', id: 1, ok: true, value: { url: '/api/plugins/heatmap/cells' } }])
  })

  it('refuses a call outside the grants without sending anything', async () => {
    const { host } = services()
    const posted: HostMessage[] = []
    const rpc = createFrameRpc(scope, host, (m) => posted.push(m))
    await rpc.handle(2, { op: 'api', method: 'POST', path: '/api/tickets', body: { title: 'x' } })
    await rpc.handle(3, { op: 'api', method: 'GET', path: '/api/plugins/oncall/now' })
    await rpc.handle(4, { op: 'api', method: 'GET', path: '../oncall/now' })
    expect(host.request).not.toHaveBeenCalled()
    expect(posted.map((m) => m.kind === 'result' && !m.ok && m.error.status)).toEqual([403, 403, 403])
  })

  it('passes the host’s HTTP errors back with their status', async () => {
    const { host } = services()
    host.request.mockRejectedValueOnce(Object.assign(new Error('Not allowed'), { status: 403 }))
    const posted: HostMessage[] = []
    await createFrameRpc(scope, host, (m) => posted.push(m)).handle(5, { op: 'api', method: 'GET', path: 'cells' })
    expect(posted[0]).toMatchObject({ ok: false, error: { status: 403, message: 'Not allowed' } })
  })

  it('delivers only granted events, and ends subscriptions with the frame', async () => {
    const { host, handlers, stops } = services()
    const posted: HostMessage[] = []
    const rpc = createFrameRpc(scope, host, (m) => posted.push(m))
    await rpc.handle(6, { op: 'subscribe', type: 'layout.updated', subscription: 1 })
    expect(host.subscribe).not.toHaveBeenCalled()
    expect(posted.pop()).toMatchObject({ ok: false, error: { status: 403 } })
    await rpc.handle(7, { op: 'subscribe', type: 'ticket.created', subscription: 2 })
    handlers.get('ticket.created')!({ type: 'ticket.created', data: { id: 9 } })
    expect(posted.at(-1)).toEqual({ deskboard: 1, kind: 'event', subscription: 2, event: { type: 'ticket.created', data: { id: 9 } } })
    rpc.dispose()
    expect(stops).toEqual(['ticket.created'])
  })

  it('forwards UI calls and refuses unknown ones', async () => {
    const { host } = services()
    const posted: HostMessage[] = []
    const rpc = createFrameRpc(scope, host, (m) => posted.push(m))
    await rpc.handle(8, { op: 'openTicket', id: 12 })
    await rpc.handle(9, { op: 'toast', message: 'hello', kind: 'evil' })
    await rpc.handle(10, { op: 'steal' } as never)
    expect(host.ui.openTicket).toHaveBeenCalledWith(12)
    expect(host.ui.toast).toHaveBeenCalledWith('hello', 'info')
    expect(posted.at(-1)).toMatchObject({ id: 10, ok: false, error: { status: 400 } })
  })
})
