/** What each KPI metric counts or measures, as ticket filters (the one filter format). */
import { OPEN_STATUSES, compactFilter, type Ticket, type TicketFilter } from '../shared/tickets'

export type Metric = 'open' | 'unassigned' | 'overdue' | 'first-response-median' | 'resolution-median' | 'sla-within'

export const METRIC_LABELS: Record<Metric, string> = {
  open: 'Open tickets',
  unassigned: 'Unassigned tickets',
  overdue: 'Overdue tickets',
  'first-response-median': 'Median first response',
  'resolution-median': 'Median resolution time',
  'sla-within': '% within SLA',
}

export function isMetric(value: unknown): value is Metric {
  return typeof value === 'string' && value in METRIC_LABELS
}

/** Open statuses narrowed by the widget's own status filter, when it has one. */
function openStatuses(base: TicketFilter): string[] {
  const chosen = Array.isArray(base.status) ? (base.status as string[]) : null
  return chosen ? OPEN_STATUSES.filter((s) => chosen.includes(s)) : OPEN_STATUSES
}

/** The filter whose tickets a count metric counts (the widget's filters narrowed by the metric). */
export function countFilter(metric: 'open' | 'unassigned' | 'overdue', widgetFilter: unknown): TicketFilter {
  const base = compactFilter(widgetFilter)
  switch (metric) {
    case 'open':
      return { ...base, status: openStatuses(base) }
    case 'unassigned':
      return { ...base, status: openStatuses(base), assignee_id: ['none'] }
    case 'overdue':
      return { ...base, overdue: true }
  }
}

/** Tickets created in the last `days` days (for the median metrics). */
export function recentFilter(widgetFilter: unknown, days: number, today = new Date()): TicketFilter {
  const from = new Date(today.getTime() - days * 86_400_000).toISOString().slice(0, 10)
  return { ...compactFilter(widgetFilter), created: { from } }
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

/** Milliseconds from creation to first response / resolution, for tickets that have one. */
export function durations(tickets: readonly Ticket[], metric: 'first-response-median' | 'resolution-median'): number[] {
  const field = metric === 'first-response-median' ? 'first_response_at' : 'resolved_at'
  return tickets
    .filter((t) => t[field])
    .map((t) => Date.parse(t[field] as string) - Date.parse(t.created_at))
    .filter((ms) => Number.isFinite(ms) && ms >= 0)
}

/** "3 h 20 min", "2 d 4 h", "45 min". */
export function formatDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000)
  if (minutes < 60) return `${minutes} min`
  const hours = Math.floor(minutes / 60)
  if (hours < 48) return `${hours} h ${minutes % 60} min`
  return `${Math.floor(hours / 24)} d ${hours % 24} h`
}
