/** The activity feed (`/api/analytics/activity`) and how each entry reads. */
import { api } from '@/api'
import { compactFilter, type TicketFilter } from '../shared/tickets'
import { showValue } from '@/features/tickets/people'

export interface ActivityItem {
  kind: 'created' | 'changed' | 'comment' | 'note'
  at: string
  actor: { id: number; name: string } | null
  ticket: { id: number; number: number; title: string }
  field?: string | null
  from_value?: unknown
  to_value?: unknown
  excerpt?: string | null
}

export function fetchActivity(filter: TicketFilter, limit: number, signal?: AbortSignal): Promise<{ items: ActivityItem[] }> {
  return api.get<{ items: ActivityItem[] }>('/api/analytics/activity', {
    query: { filter: JSON.stringify(compactFilter(filter)), limit },
    signal,
  })
}

/** What happened, without who and which ticket (the widget shows those around it). */
export function describeActivity(item: ActivityItem): string {
  switch (item.kind) {
    case 'created':
      return 'opened'
    case 'changed': {
      const field = (item.field ?? 'a field').replace(/_id$/, '').replace(/_/g, ' ')
      return `changed ${field} from ${showValue(item.field, item.from_value)} to ${showValue(item.field, item.to_value)}`
    }
    case 'comment':
      return 'replied'
    case 'note':
      return 'added an internal note'
    default:
      return 'updated'
  }
}
