/** The ticket list API as widgets use it: one filter object (DESIGN.md "Filters"), keyset pages. */
import { api } from '@/api'

export type TicketFilter = Record<string, unknown>

/** How a ticket came in, in the words the lists and filters use. */
export const CHANNEL_LABELS = { web: 'Web', email: 'Email', api: 'API' } as const
export type Channel = keyof typeof CHANNEL_LABELS
export const CHANNELS = Object.keys(CHANNEL_LABELS) as Channel[]

export interface Person {
  id: number
  name: string
  email: string
}

export interface Ticket {
  id: number
  number: number
  title: string
  status: string
  priority: string
  requester: Person
  assignee: Person | null
  tags: string[]
  due_at: string | null
  first_response_at: string | null
  resolved_at: string | null
  overdue: boolean
  created_at: string
  updated_at: string
  /** How it came in: the web app, a mail, or the API. */
  channel?: Channel
  /** The team that works the ticket (null: none). */
  team_id?: number | null
  /** The SLA clocks (null: no policy applies); see shared/sla.ts. */
  sla?: TicketSla | null
}

export interface TicketSla {
  policy_id: number
  first_response_due_at: string | null
  resolution_due_at: string | null
  paused_minutes: number
  paused: boolean
  at_risk: boolean
  breached: { first_response: boolean; resolution: boolean }
}

export interface TicketPage {
  items: Ticket[]
  next_cursor: string | null
}

export const OPEN_STATUSES = ['new', 'open', 'pending']
export const MAX_PAGE = 200

/** Drop unset parts (null, empty lists, empty text) so the server sees only what narrows. */
export function compactFilter(filter: unknown): TicketFilter {
  if (!filter || typeof filter !== 'object') return {}
  const result: TicketFilter = {}
  for (const [key, value] of Object.entries(filter as Record<string, unknown>)) {
    if (value === null || value === undefined || value === '') continue
    if (Array.isArray(value) && value.length === 0) continue
    if (key === 'created' && typeof value === 'object') {
      const range = compactFilter(value)
      if (Object.keys(range).length > 0) result[key] = range
      continue
    }
    result[key] = value
  }
  return result
}

export function fetchTickets(options: {
  filter: TicketFilter
  sort?: string
  limit?: number
  cursor?: string | null
  signal?: AbortSignal
}): Promise<TicketPage> {
  return api.get<TicketPage>('/api/tickets', {
    query: {
      filter: JSON.stringify(compactFilter(options.filter)),
      sort: options.sort,
      limit: options.limit ?? 50,
      cursor: options.cursor ?? undefined,
    },
    signal: options.signal,
  })
}

export interface Count {
  value: number
  /** True when counting stopped at the cap (the real number is larger). */
  capped: boolean
}

/**
 * Count the tickets a filter selects by walking the keyset pages (the list API has no count).
 * Stops at `cap` so a huge queue cannot flood the browser; the widget then shows "cap+".
 */
export async function countTickets(filter: TicketFilter, signal?: AbortSignal, cap = 5000): Promise<Count> {
  let value = 0
  let cursor: string | null = null
  do {
    const page: TicketPage = await fetchTickets({ filter, sort: '-number', limit: MAX_PAGE, cursor, signal })
    value += page.items.length
    cursor = page.next_cursor
  } while (cursor && value < cap)
  return { value: Math.min(value, cap), capped: cursor !== null }
}

/** Every ticket a filter selects, up to `cap` (for measures the list API does not compute). */
export async function collectTickets(
  filter: TicketFilter,
  signal?: AbortSignal,
  cap = 5000,
): Promise<{ items: Ticket[]; capped: boolean }> {
  const items: Ticket[] = []
  let cursor: string | null = null
  do {
    const page: TicketPage = await fetchTickets({ filter, sort: '-created_at', limit: MAX_PAGE, cursor, signal })
    items.push(...page.items)
    cursor = page.next_cursor
  } while (cursor && items.length < cap)
  return { items: items.slice(0, cap), capped: cursor !== null }
}
