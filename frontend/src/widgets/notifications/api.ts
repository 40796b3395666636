/** The caller's notification feed (`/api/notifications`). */
import { api } from '@/api'

export interface Notification {
  id: number
  kind: 'assigned' | 'reply' | 'status_changed' | 'due_soon' | 'automation' | string
  ticket_id: number | null
  actor_id: number | null
  title: string
  summary: string
  read_at: string | null
  created_at: string
}

export interface NotificationPage {
  items: Notification[]
  next_cursor: string | null
  unread_count: number
}

export const KIND_LABELS: Record<string, string> = {
  assigned: 'Assigned to you',
  reply: 'New reply',
  status_changed: 'Status changed',
  due_soon: 'Due soon',
  sla_at_risk: 'SLA at risk',
  sla_breached: 'SLA breached',
  automation: 'Automation',
}

export function fetchNotifications(options: { unread?: boolean; limit: number; signal?: AbortSignal }): Promise<NotificationPage> {
  return api.get<NotificationPage>('/api/notifications', {
    query: { limit: options.limit, unread: options.unread ? true : undefined },
    signal: options.signal,
  })
}

export function markRead(id: number): Promise<Notification> {
  return api.post<Notification>(`/api/notifications/${id}/read`)
}

export function markAllRead(): Promise<{ marked: number; unread_count: number }> {
  return api.post<{ marked: number; unread_count: number }>('/api/notifications/read-all')
}

/** "5 min ago", "3 h ago", or the date. */
export function ago(value: string, now = Date.now()): string {
  const then = new Date(value).getTime()
  if (Number.isNaN(then)) return ''
  const minutes = Math.round((now - then) / 60_000)
  if (minutes < 1) return 'just now'
  if (minutes < 60) return `${minutes} min ago`
  const hours = Math.round(minutes / 60)
  if (hours < 24) return `${hours} h ago`
  return new Date(value).toLocaleDateString(undefined, { month: 'short', day: 'numeric' })
}
