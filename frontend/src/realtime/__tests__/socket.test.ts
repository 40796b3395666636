import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { CloseCode, RealtimeClient, type SocketLike } from '../socket'

class FakeSocket implements SocketLike {
  readyState = 0
  sent: Record<string, unknown>[] = []
  onopen: ((event: Event) => void) | null = null
  onmessage: ((event: MessageEvent) => void) | null = null
  onclose: ((event: CloseEvent) => void) | null = null
  onerror: ((event: Event) => void) | null = null
  closedWith: number | null = null
  constructor(readonly url: string) {}
  send(data: string): void {
    this.sent.push(JSON.parse(data) as Record<string, unknown>)
  }
  close(code = 1000): void {
    this.closedWith = code
  }
  // test helpers
  open(): void {
    this.readyState = 1
    this.onopen?.(new Event('open'))
  }
  receive(message: unknown): void {
    this.onmessage?.({ data: JSON.stringify(message) } as MessageEvent)
  }
  serverClose(code: number): void {
    this.readyState = 3
    this.onclose?.({ code } as CloseEvent)
  }
}

function setup(
  overrides: { token?: string | null; refresh?: () => Promise<string | null>; online?: () => boolean } = {},
) {
  const sockets: FakeSocket[] = []
  let token: string | null = overrides.token === undefined ? 'tok-1' : overrides.token
  const refresh = vi.fn(overrides.refresh ?? (async () => (token = 'tok-2')))
  const client = new RealtimeClient({
    url: () => 'ws://test/api/ws',
    clientId: 'tab-1',
    getToken: () => token,
    refreshToken: refresh,
    createSocket: (url) => {
      const socket = new FakeSocket(url)
      sockets.push(socket)
      return socket
    },
    random: () => 1,
    now: () => Date.parse('2026-11-25T12:00:00Z'),
    isOnline: overrides.online ?? (() => true),
  })
  const states: string[] = []
  client.onState((state) => states.push(state))
  return { client, sockets, refresh, states, last: () => sockets[sockets.length - 1]! }
}

function ready(socket: FakeSocket, lastEventId = '100-0') {
  socket.receive({
    type: 'ready',
    connection_id: 'c1',
    user: { id: 1, role: 'user' },
    last_event_id: lastEventId,
    expires_at: '2026-11-25T12:15:00Z',
    heartbeat: 25,
  })
}

beforeEach(() => vi.useFakeTimers())
afterEach(() => vi.useRealTimers())

describe('realtime client', () => {
  it('authenticates with its first message and goes live on ready', () => {
    const { client, last, states } = setup()
    client.start()
    expect(states).toEqual(['connecting'])
    last().open()
    expect(last().sent[0]).toEqual({ type: 'auth', token: 'tok-1', client_id: 'tab-1', last_event_id: null })
    ready(last())
    expect(client.state).toBe('live')
    expect(client.lastEventId).toBe('100-0')
  })

  it('delivers events to subscribers by type, tracks the last id, and unsubscribes', () => {
    const { client, last } = setup()
    const layout = vi.fn()
    const all = vi.fn()
    const stop = client.subscribe('layout.updated', layout)
    client.subscribe('*', all)
    client.start()
    last().open()
    ready(last())
    last().receive({ type: 'layout.updated', id: '101-0', at: 'x', data: { version: 2 } })
    last().receive({ type: 'ticket.created', id: '102-0', at: 'x', data: {} })
    expect(layout).toHaveBeenCalledTimes(1)
    expect(layout.mock.calls[0]![0].data).toEqual({ version: 2 })
    expect(all).toHaveBeenCalledTimes(3) // ready + two events
    expect(client.lastEventId).toBe('102-0')
    stop()
    last().receive({ type: 'layout.updated', id: '103-0', at: 'x', data: {} })
    expect(layout).toHaveBeenCalledTimes(1)
  })

  it('answers pings with pong', () => {
    const { client, last } = setup()
    client.start()
    last().open()
    ready(last())
    last().receive({ type: 'ping' })
    expect(last().sent.at(-1)).toEqual({ type: 'pong' })
  })

  it('reconnects with growing delays and sends the last event id', async () => {
    const { client, sockets, last } = setup()
    client.start()
    last().open()
    ready(last())
    last().receive({ type: 'notification', id: '105-3', at: 'x', data: {} })
    last().serverClose(CloseCode.HEARTBEAT_TIMEOUT)
    expect(client.state).toBe('reconnecting')
    await vi.advanceTimersByTimeAsync(999)
    expect(sockets).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(sockets).toHaveLength(2)
    last().serverClose(1006) // failed again before opening
    await vi.advanceTimersByTimeAsync(1999)
    expect(sockets).toHaveLength(2)
    await vi.advanceTimersByTimeAsync(1)
    expect(sockets).toHaveLength(3)
    last().open()
    expect(last().sent[0]).toMatchObject({ type: 'auth', last_event_id: '105-3' })
  })

  it('refreshes the token when it expired, then reconnects at once', async () => {
    const { client, sockets, last, refresh } = setup()
    client.start()
    last().open()
    ready(last())
    last().serverClose(CloseCode.TOKEN_EXPIRED)
    expect(client.state).toBe('reconnecting')
    await vi.advanceTimersByTimeAsync(0)
    expect(refresh).toHaveBeenCalledTimes(1)
    expect(sockets).toHaveLength(2)
    last().open()
    // The fresh token, and the last id seen so that nothing is missed across the gap.
    expect(last().sent[0]).toMatchObject({ type: 'auth', token: 'tok-2', last_event_id: '100-0' })
    ready(last())
    expect(client.state).toBe('live')
  })

  it('refreshes and reconnects when the session was revoked (role change, sign-out elsewhere)', async () => {
    const { client, sockets, last, refresh } = setup()
    client.start()
    last().open()
    ready(last())
    last().receive({ type: 'ticket.updated', id: '100-7', at: 'x', data: {} })
    last().serverClose(CloseCode.SESSION_REVOKED)
    await vi.advanceTimersByTimeAsync(0)
    expect(refresh).toHaveBeenCalledTimes(1)
    expect(sockets).toHaveLength(2)
    last().open()
    expect(last().sent[0]).toMatchObject({ type: 'auth', token: 'tok-2', last_event_id: '100-7' })
    ready(last(), '100-7')
    expect(client.state).toBe('live')
  })

  it('stops when a revoked session cannot be refreshed (the account was disabled)', async () => {
    const { client, sockets, last } = setup({ refresh: async () => null })
    client.start()
    last().open()
    ready(last())
    last().serverClose(CloseCode.SESSION_REVOKED)
    await vi.advanceTimersByTimeAsync(60_000)
    expect(sockets).toHaveLength(1)
    expect(client.state).toBe('offline')
  })

  it('says connecting before the first ready and reconnecting after a live socket is lost', async () => {
    const { client, last, states } = setup()
    client.start()
    last().serverClose(1006) // the first attempt fails
    expect(client.state).toBe('connecting')
    await vi.advanceTimersByTimeAsync(1000)
    last().open()
    ready(last())
    last().serverClose(1011)
    await vi.advanceTimersByTimeAsync(1000)
    last().open()
    ready(last())
    expect(states).toEqual(['connecting', 'live', 'reconnecting', 'live'])
  })

  it('goes offline when the network is lost, closes the socket, and reconnects when it returns', async () => {
    let online = true
    const { client, sockets, last } = setup({ online: () => online })
    client.start()
    last().open()
    ready(last())
    const lost = last()
    online = false
    client.networkLost()
    expect(client.state).toBe('offline')
    expect(lost.closedWith).toBe(1000)
    lost.serverClose(1006) // its late close event changes nothing
    expect(client.state).toBe('offline')
    online = true
    client.reconnectNow()
    expect(sockets).toHaveLength(2)
    expect(client.state).toBe('reconnecting')
    last().open()
    ready(last())
    expect(client.state).toBe('live')
    await vi.advanceTimersByTimeAsync(60_000)
    expect(sockets).toHaveLength(2) // the backoff timer of the lost socket was cleared
  })

  it('stops when the session is over (refresh refused)', async () => {
    const { client, sockets, last } = setup({ refresh: async () => null })
    client.start()
    last().open()
    last().serverClose(CloseCode.UNAUTHENTICATED)
    await vi.advanceTimersByTimeAsync(60_000)
    expect(sockets).toHaveLength(1)
    expect(client.state).toBe('offline')
  })

  it('re-authenticates over the open socket before the token expires', async () => {
    const { client, last, refresh } = setup()
    client.start()
    last().open()
    ready(last()) // expires in 15 minutes; re-auth one minute before
    await vi.advanceTimersByTimeAsync(14 * 60_000)
    expect(refresh).toHaveBeenCalledTimes(1)
    expect(last().sent.at(-1)).toEqual({ type: 'auth', token: 'tok-2', client_id: 'tab-1' })
  })

  it('sends presence while live and again after a reconnect', async () => {
    const { client, last } = setup()
    client.start()
    last().open()
    ready(last())
    client.setEditing(true)
    expect(last().sent.at(-1)).toEqual({ type: 'presence', editing: true })
    last().serverClose(CloseCode.GOING_AWAY)
    await vi.advanceTimersByTimeAsync(1000)
    last().open()
    ready(last())
    expect(last().sent.at(-1)).toEqual({ type: 'presence', editing: true })
  })

  it('stop() closes the socket and does not reconnect', async () => {
    const { client, sockets, last } = setup()
    client.start()
    last().open()
    ready(last())
    client.stop()
    expect(last().closedWith).toBe(1000)
    await vi.advanceTimersByTimeAsync(60_000)
    expect(sockets).toHaveLength(1)
    expect(client.lastEventId).toBeNull()
  })

  it('gets a token first when it has none', async () => {
    const { client, last, refresh } = setup({ token: null })
    client.start()
    await vi.advanceTimersByTimeAsync(0)
    expect(refresh).toHaveBeenCalled()
    last().open()
    expect(last().sent[0]).toMatchObject({ token: 'tok-2' })
  })
})
