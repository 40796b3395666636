import type { ConnectionState } from './connectionState'
import type { ServerEvent, ServerEventType, ServerMessage } from './types'

/**
 * The one socket to /api/ws (deskboard/realtime/protocol.py): authenticates with its first
 * message, answers pings, tracks the last event id so a reconnect replays what was missed,
 * reconnects with exponential backoff and jitter, and re-authenticates before the token expires.
 */

/** Close codes of deskboard/realtime/protocol.py `CloseCode`. */
export const CloseCode = {
  GOING_AWAY: 1001,
  HEARTBEAT_TIMEOUT: 4000,
  TOKEN_EXPIRED: 4001,
  SLOW_CONSUMER: 4002,
  /** Signed out elsewhere, or the role, password or account changed: refresh, then reconnect. */
  SESSION_REVOKED: 4003,
  PROTOCOL_ERROR: 4400,
  UNAUTHENTICATED: 4401,
  AUTH_TIMEOUT: 4408,
  TOO_MANY_CONNECTIONS: 4429,
} as const

export interface SocketLike {
  readonly readyState: number
  onopen: ((event: Event) => void) | null
  onmessage: ((event: MessageEvent) => void) | null
  onclose: ((event: CloseEvent) => void) | null
  onerror: ((event: Event) => void) | null
  send(data: string): void
  close(code?: number, reason?: string): void
}

export interface RealtimeOptions {
  url: () => string
  clientId: string
  /** The current access token (null: not signed in). */
  getToken: () => string | null
  /** Get a new access token (null: the session is over). */
  refreshToken: () => Promise<string | null>
  createSocket?: (url: string) => SocketLike
  random?: () => number
  now?: () => number
  setTimer?: (callback: () => void, ms: number) => unknown
  clearTimer?: (handle: unknown) => void
  baseDelayMs?: number
  maxDelayMs?: number
  /** Re-authenticate this long before the token expires. */
  reauthLeadMs?: number
  /** Whether the browser believes it has a network (navigator.onLine). */
  isOnline?: () => boolean
}

type Handler<T extends ServerEventType> = (event: ServerEvent<T>) => void
type AnyHandler = (event: ServerEvent) => void
const OPEN = 1

export class RealtimeClient {
  private socket: SocketLike | null = null
  private wanted = false
  private attempt = 0
  private reconnectTimer: unknown = null
  private reauthTimer: unknown = null
  private handlers = new Map<string, Set<AnyHandler>>()
  private stateListeners = new Set<(state: ConnectionState) => void>()
  private editing = false
  /** Whether this session was live once (a new attempt is then a reconnect). */
  private wasLive = false
  state: ConnectionState = 'offline'
  lastEventId: string | null = null
  private readonly o: Required<RealtimeOptions>

  constructor(options: RealtimeOptions) {
    this.o = {
      createSocket: (url) => new WebSocket(url) as unknown as SocketLike,
      random: Math.random,
      now: Date.now,
      setTimer: (callback, ms) => setTimeout(callback, ms),
      clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
      baseDelayMs: 1000,
      maxDelayMs: 30_000,
      reauthLeadMs: 60_000,
      isOnline: () => typeof navigator === 'undefined' || navigator.onLine !== false,
      ...options,
    }
  }

  /** Receive events of one type (or '*' for all); returns the function that stops it. */
  subscribe<T extends ServerEventType>(type: T | '*', handler: Handler<T>): () => void {
    let set = this.handlers.get(type)
    if (!set) {
      set = new Set()
      this.handlers.set(type, set)
    }
    const entry = handler as unknown as AnyHandler
    set.add(entry)
    return () => {
      set.delete(entry)
      if (set.size === 0) this.handlers.delete(type)
    }
  }

  onState(listener: (state: ConnectionState) => void): () => void {
    this.stateListeners.add(listener)
    return () => this.stateListeners.delete(listener)
  }

  /** The state while trying to (re)connect: offline when the browser has no network. */
  private tryingState(): ConnectionState {
    if (!this.o.isOnline()) return 'offline'
    return this.wasLive ? 'reconnecting' : 'connecting'
  }

  private setState(state: ConnectionState): void {
    if (state === this.state) return
    this.state = state
    this.stateListeners.forEach((listener) => listener(state))
  }

  start(): void {
    this.wanted = true
    if (!this.socket && this.reconnectTimer === null) this.connect()
  }

  /** Close for good (sign-out); the last event id is forgotten with the session. */
  stop(): void {
    this.wanted = false
    this.clearTimers()
    const socket = this.socket
    this.socket = null
    if (socket) {
      socket.onclose = null
      socket.onmessage = null
      socket.close(1000, 'Signed out')
    }
    this.lastEventId = null
    this.attempt = 0
    this.wasLive = false
    this.setState('offline')
  }

  /** Reconnect now (the browser is back online) rather than waiting for the backoff. */
  reconnectNow(): void {
    if (!this.wanted) return
    if (this.socket && this.state !== 'offline') return
    this.clearTimers()
    this.dropSocket()
    this.attempt = 0
    this.connect()
  }

  /**
   * The browser lost the network: show it at once and let go of the socket (it may linger
   * half-open); the 'online' event (or the backoff) brings a new one.
   */
  networkLost(): void {
    if (!this.wanted) return
    this.clearTimers()
    this.dropSocket()
    this.scheduleReconnect()
  }

  /** Close the current socket without reacting to its close event. */
  private dropSocket(): void {
    const socket = this.socket
    this.socket = null
    if (!socket) return
    socket.onclose = null
    socket.onmessage = null
    socket.onopen = null
    try {
      socket.close(1000, 'Network lost')
    } catch {
      // already closed
    }
  }

  /** Tell the server whether this tab is editing (other tabs of the person see a count). */
  setEditing(editing: boolean): void {
    this.editing = editing
    if (this.state === 'live') this.send({ type: 'presence', editing })
  }

  private clearTimers(): void {
    if (this.reconnectTimer !== null) this.o.clearTimer(this.reconnectTimer)
    if (this.reauthTimer !== null) this.o.clearTimer(this.reauthTimer)
    this.reconnectTimer = null
    this.reauthTimer = null
  }

  private connect(): void {
    this.reconnectTimer = null
    if (!this.wanted) return
    const token = this.o.getToken()
    if (!token) {
      void this.refreshThenConnect()
      return
    }
    this.setState(this.tryingState())
    let socket: SocketLike
    try {
      socket = this.o.createSocket(this.o.url())
    } catch {
      this.scheduleReconnect()
      return
    }
    this.socket = socket
    socket.onopen = () => {
      this.send({
        type: 'auth',
        token,
        client_id: this.o.clientId,
        last_event_id: this.lastEventId,
      })
    }
    socket.onmessage = (event) => this.onMessage(String(event.data))
    socket.onerror = () => {
      // A close event always follows; the reconnect happens there.
    }
    socket.onclose = (event) => {
      if (this.socket !== socket) return
      this.socket = null
      if (this.reauthTimer !== null) this.o.clearTimer(this.reauthTimer)
      this.reauthTimer = null
      this.onClose(event.code)
    }
  }

  private async refreshThenConnect(): Promise<void> {
    this.setState(this.tryingState())
    let token: string | null = null
    try {
      token = await this.o.refreshToken()
    } catch {
      token = null // the server is unreachable: back off and try again
      this.scheduleReconnect()
      return
    }
    if (!this.wanted) return
    if (!token) {
      this.stop() // signed out
      return
    }
    this.connect()
  }

  private onClose(code: number): void {
    if (!this.wanted) return
    switch (code) {
      case CloseCode.TOKEN_EXPIRED:
      case CloseCode.SESSION_REVOKED:
      case CloseCode.UNAUTHENTICATED:
        // Get a fresh token first; a failed refresh ends the session (stop()).
        this.setState(this.tryingState())
        void this.refreshThenConnect()
        return
      case CloseCode.TOO_MANY_CONNECTIONS:
        this.attempt = Math.max(this.attempt, 4) // wait longer: another tab holds the slot
        this.scheduleReconnect()
        return
      default:
        this.scheduleReconnect()
    }
  }

  private scheduleReconnect(): void {
    if (!this.wanted) return
    this.setState(this.tryingState())
    const ceiling = Math.min(this.o.maxDelayMs, this.o.baseDelayMs * 2 ** this.attempt)
    this.attempt = Math.min(this.attempt + 1, 16)
    // Full jitter: tabs that lost the server together do not come back together.
    const delay = Math.round(ceiling * (0.5 + this.o.random() * 0.5))
    if (this.reconnectTimer !== null) this.o.clearTimer(this.reconnectTimer)
    this.reconnectTimer = this.o.setTimer(() => this.connect(), delay)
  }

  private send(message: Record<string, unknown>): void {
    if (this.socket && this.socket.readyState === OPEN) this.socket.send(JSON.stringify(message))
  }

  private onMessage(text: string): void {
    let message: ServerMessage
    try {
      message = JSON.parse(text) as ServerMessage
    } catch {
      return
    }
    switch (message.type) {
      case 'ping':
        this.send({ type: 'pong' })
        return
      case 'ready':
        this.attempt = 0
        this.wasLive = true
        this.lastEventId = message.last_event_id ?? this.lastEventId
        this.setState('live')
        this.scheduleReauth(message.expires_at)
        if (this.editing) this.send({ type: 'presence', editing: true })
        this.dispatch({ type: 'ready', data: message } as unknown as ServerEvent)
        return
      case 'auth.ok':
        this.scheduleReauth(message.expires_at)
        return
      case 'resync':
        // The server could not replay everything missed: subscribers reload their state.
        this.lastEventId = message.last_event_id ?? this.lastEventId
        this.dispatch({ type: 'resync', data: message } as unknown as ServerEvent)
        return
      case 'presence':
        this.dispatch(message as unknown as ServerEvent)
        return
      default:
        {
          const event = message as ServerEvent
          if (typeof event.id === 'string') this.lastEventId = event.id
          this.dispatch(event)
        }
    }
  }

  private dispatch(event: ServerEvent): void {
    for (const key of [event.type, '*']) {
      this.handlers.get(key)?.forEach((handler) => {
        try {
          handler(event)
        } catch (error) {
          console.error(`realtime handler for ${event.type} failed`, error)
        }
      })
    }
  }

  /** Send a fresh token over the open socket shortly before the current one expires. */
  private scheduleReauth(expiresAt: string | undefined): void {
    if (this.reauthTimer !== null) this.o.clearTimer(this.reauthTimer)
    this.reauthTimer = null
    if (!expiresAt) return
    const at = Date.parse(expiresAt)
    if (Number.isNaN(at)) return
    const delay = Math.max(1000, at - this.o.now() - this.o.reauthLeadMs)
    this.reauthTimer = this.o.setTimer(() => void this.reauthenticate(), delay)
  }

  private async reauthenticate(): Promise<void> {
    this.reauthTimer = null
    try {
      const token = await this.o.refreshToken()
      if (token) this.send({ type: 'auth', token, client_id: this.o.clientId })
    } catch {
      // The server closes with TOKEN_EXPIRED; the reconnect path refreshes again.
    }
  }
}
