/** A stand-in for src/realtime/useServerEvents.ts: tests push events by hand. */
import { vi } from 'vitest'

type Handler = (event: { type: string; data: unknown } | null) => void
const subscriptions: { types: readonly string[]; handler: Handler }[] = []

export const TICKET_EVENTS = ['ticket.created', 'ticket.updated', 'ticket.deleted'] as const

export function useServerEvents(types: readonly string[], handler: Handler): () => void {
  const entry = { types, handler }
  subscriptions.push(entry)
  return () => subscriptions.splice(subscriptions.indexOf(entry), 1)
}

export function useTicketRefresh(reload: () => void): () => void {
  return useServerEvents(TICKET_EVENTS, () => reload())
}

/** Deliver a server event to every subscriber of its type. */
export function pushEvent(type: string, data: unknown = {}): void {
  for (const { types, handler } of [...subscriptions]) if (types.includes(type)) handler({ type, data })
}

export function resetEvents(): void {
  subscriptions.splice(0)
}

export const spies = { useServerEvents: vi.fn() }
