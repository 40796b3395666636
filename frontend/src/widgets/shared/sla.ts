/**
 * A ticket's SLA badge as of an instant: which clock is next due, how long is left, or that a
 * target is missed. The server's `sla` says what was true when it answered; the countdown runs
 * on in the browser between answers, and a running clock whose due time passes turns to
 * "breached" at once (the same rule as the server's `sla` filter, docs/sla.md).
 */
import { onBeforeUnmount, ref, type Ref } from 'vue'
import type { TicketSla } from './tickets'

export type SlaBadgeState = 'none' | 'paused' | 'ok' | 'at_risk' | 'breached' | 'met'

export interface SlaBadge {
  state: SlaBadgeState
  /** "12m 05s", "3h 10m", "2d 4h", "Breached", "Paused", "Met". */
  text: string
  /** Which target the badge is about. */
  target: 'first response' | 'resolution' | null
  /** Milliseconds left on that target (negative: overdue), null when no clock runs. */
  leftMs: number | null
}

interface TicketLike {
  first_response_at: string | null
  resolved_at: string | null
  sla?: TicketSla | null
}

/** "45s", "12m 05s", "3h 10m", "2d 4h". */
export function formatLeft(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000))
  if (seconds < 60) return `${seconds}s`
  const minutes = Math.floor(seconds / 60)
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, '0')}s`
  const hours = Math.floor(minutes / 60)
  if (hours < 48) return `${hours}h ${String(minutes % 60).padStart(2, '0')}m`
  return `${Math.floor(hours / 24)}d ${hours % 24}h`
}

/** The risk share the server uses: at risk once 20% of a target or less is left. */
export const AT_RISK_SHARE = 0.2

export function slaBadge(ticket: TicketLike, now: number): SlaBadge {
  const sla = ticket.sla
  if (!sla) return { state: 'none', text: '', target: null, leftMs: null }
  if (sla.breached.first_response || sla.breached.resolution) {
    const target = sla.breached.first_response ? 'first response' : 'resolution'
    return { state: 'breached', text: 'Breached', target, leftMs: null }
  }
  const clocks: { target: 'first response' | 'resolution'; due: string | null }[] = []
  if (!ticket.first_response_at && !ticket.resolved_at) clocks.push({ target: 'first response', due: sla.first_response_due_at })
  if (!ticket.resolved_at) clocks.push({ target: 'resolution', due: sla.resolution_due_at })
  const running = clocks.filter((c): c is { target: 'first response' | 'resolution'; due: string } => c.due !== null)
  if (running.length === 0) {
    if (sla.paused) return { state: 'paused', text: 'Paused', target: null, leftMs: null }
    return { state: 'met', text: 'Met', target: null, leftMs: null }
  }
  running.sort((a, b) => Date.parse(a.due) - Date.parse(b.due))
  const next = running[0]!
  const leftMs = Date.parse(next.due) - now
  if (leftMs <= 0) return { state: 'breached', text: 'Breached', target: next.target, leftMs }
  return { state: sla.at_risk ? 'at_risk' : 'ok', text: formatLeft(leftMs), target: next.target, leftMs }
}

const subscribers = new Set<Ref<number>>()
let timer: ReturnType<typeof setInterval> | null = null

/** The current time, ticking once a second while any component uses it (one shared timer). */
export function useNow(): Ref<number> {
  const now = ref(Date.now())
  subscribers.add(now)
  if (timer === null) {
    timer = setInterval(() => {
      const at = Date.now()
      for (const subscriber of subscribers) subscriber.value = at
    }, 1000)
  }
  onBeforeUnmount(() => {
    subscribers.delete(now)
    if (subscribers.size === 0 && timer !== null) {
      clearInterval(timer)
      timer = null
    }
  })
  return now
}
