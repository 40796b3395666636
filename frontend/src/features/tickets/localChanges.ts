/**
 * Ticket changes made in this tab. The server does not echo a client's own changes back to it
 * (events carry the origin), so the widgets of this tab hear about them here instead: a ticket
 * filed from the New ticket widget shows in the lists beside it, a status set in the drawer shows
 * in the list behind it.
 */
import { getCurrentScope, onScopeDispose } from 'vue'

export interface LocalTicketChange {
  kind: 'created' | 'updated' | 'commented'
  ticket: { id: number } & Record<string, unknown>
}

type Listener = (change: LocalTicketChange) => void
const listeners = new Set<Listener>()

export function announceTicketChange(change: LocalTicketChange): void {
  // Next task, so the component that made the change has applied it before the others hear.
  setTimeout(() => listeners.forEach((listener) => listener(change)), 0)
}

/** Listen for as long as the calling component or scope lives. */
export function onLocalTicketChange(listener: Listener): () => void {
  listeners.add(listener)
  const stop = (): void => void listeners.delete(listener)
  if (getCurrentScope()) onScopeDispose(stop)
  return stop
}
