import type { LayoutDocument } from '@/features/dashboard/state/types'

/** Payloads of the events the server pushes (DESIGN.md "Realtime"), by type. */
export interface ServerEventPayloads {
  'layout.updated': { user_id: number; version: number; document: LayoutDocument }
  'ticket.created': Record<string, unknown>
  'ticket.updated': Record<string, unknown>
  'ticket.deleted': Record<string, unknown>
  notification: Record<string, unknown>
  presence: { editing_sessions: number }
  /** Sent by the client itself once the socket is authenticated. */
  ready: ReadyMessage
  /** Events were missed beyond what the server keeps: reload state. */
  resync: { type: 'resync'; last_event_id?: string }
}

export type ServerEventType = keyof ServerEventPayloads | (string & {})

export interface ServerEvent<T extends ServerEventType = ServerEventType> {
  type: T
  id?: string
  at?: string
  data: T extends keyof ServerEventPayloads ? ServerEventPayloads[T] : unknown
}

export interface ReadyMessage {
  type: 'ready'
  connection_id: string
  user: { id: number; role: string }
  last_event_id?: string
  expires_at?: string
  heartbeat?: number
}

export type ServerMessage =
  | { type: 'ping' }
  | ReadyMessage
  | { type: 'auth.ok'; expires_at?: string }
  | { type: 'resync'; last_event_id?: string }
  | { type: 'presence'; data: { editing_sessions: number } }
  | { type: string; id?: string; at?: string; data?: unknown; last_event_id?: string; expires_at?: string }
