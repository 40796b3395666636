import { getCurrentScope, onScopeDispose } from 'vue'
import type { ServerEvent, ServerEventType } from './types'
import { realtime } from './index'

/** The ticket events every ticket-reading widget refreshes on. */
export const TICKET_EVENTS = ['ticket.created', 'ticket.updated', 'ticket.deleted'] as const

/**
 * Call `handler` for each server event of the given types (and after a resync, when events were
 * missed), for as long as the calling component or effect scope lives. Handlers that reload data
 * should debounce: a burst of changes arrives as a burst of events.
 */
export function useServerEvents(
  types: readonly ServerEventType[],
  handler: (event: ServerEvent | null) => void,
): () => void {
  const stops = types.map((type) => realtime.subscribe(type, (event) => handler(event as ServerEvent)))
  stops.push(realtime.subscribe('resync', () => handler(null)))
  const stop = (): void => stops.splice(0).forEach((s) => s())
  if (getCurrentScope()) onScopeDispose(stop)
  return stop
}

/**
 * Run `reload` once after a quiet `delayMs` following ticket events (or a resync), and at the
 * latest `maxWaitMs` after the first event not yet reloaded for: on a busy desk events keep
 * coming closer together than `delayMs`, and a plain debounce would then never reload.
 */
export function useTicketRefresh(reload: () => void, delayMs = 400, maxWaitMs = 3_000): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null
  let firstPending: number | null = null
  const fire = (): void => {
    timer = null
    firstPending = null
    reload()
  }
  const stop = useServerEvents(TICKET_EVENTS, () => {
    const now = Date.now()
    firstPending ??= now
    if (timer !== null) clearTimeout(timer)
    timer = setTimeout(fire, Math.max(0, Math.min(delayMs, firstPending + maxWaitMs - now)))
  })
  return () => {
    if (timer !== null) clearTimeout(timer)
    stop()
  }
}
