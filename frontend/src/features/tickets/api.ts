/** The ticket API as the ticket features use it: one ticket, its conversation, its history, edits. */
import { api, isApiError } from '@/api'
import type { Attachment } from '@/features/attachments/api'
import type { Person, Ticket } from '@/widgets/shared/tickets'
import { announceTicketChange } from './localChanges'

export const STATUSES = ['new', 'open', 'pending', 'resolved', 'closed'] as const
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const
export const TITLE_MAX = 200
export const DESCRIPTION_MAX = 50_000
export const TAG_MAX = 40
export const TAGS_MAX = 20

export interface TicketFull extends Ticket {
  description: string
  version: number
  /** Where the ticket came from. */
  channel: 'web' | 'email' | 'api'
}

export interface Comment {
  id: number
  ticket_id: number
  author: Person
  body: string
  internal: boolean
  created_at: string
  attachments?: Attachment[]
}

export interface TicketChange {
  id: number
  field: string
  from: unknown
  to: unknown
  actor: Person | null
  /** Set when an automation rule made the change (actor is then null). */
  automation?: { id: number; name: string } | null
  at: string
}

/** Fields an edit may change; `version` is added by `updateTicket`. */
export interface TicketChanges {
  title?: string
  description?: string
  status?: string
  priority?: string
  assignee_id?: number | null
  tags?: string[]
  due_at?: string | null
  team_id?: number | null
}

export interface NewTicket {
  title: string
  description: string
  priority: string
  tags: string[]
  attachment_ids?: number[]
}

export interface StaffMember {
  id: number
  name: string
  email: string
  role: string
}

export function getTicket(id: number, signal?: AbortSignal): Promise<TicketFull> {
  return api.get<TicketFull>(`/api/tickets/${id}`, { signal })
}

export async function updateTicket(ticket: Pick<TicketFull, 'id' | 'version'>, changes: TicketChanges): Promise<TicketFull> {
  const updated = await api.put<TicketFull>(`/api/tickets/${ticket.id}`, { ...changes, version: ticket.version })
  announceTicketChange({ kind: 'updated', ticket: updated as unknown as LocalTicket })
  return updated
}

export async function createTicket(data: NewTicket): Promise<TicketFull> {
  const created = await api.post<TicketFull>('/api/tickets', data)
  announceTicketChange({ kind: 'created', ticket: created as unknown as LocalTicket })
  return created
}

type LocalTicket = { id: number } & Record<string, unknown>

export function listComments(id: number, signal?: AbortSignal): Promise<Comment[]> {
  return api.get<Comment[]>(`/api/tickets/${id}/comments`, { signal })
}

export async function addComment(
  id: number,
  body: string,
  internal: boolean,
  attachmentIds: number[] = [],
): Promise<Comment> {
  const payload = attachmentIds.length ? { body, internal, attachment_ids: attachmentIds } : { body, internal }
  const comment = await api.post<Comment>(`/api/tickets/${id}/comments`, payload)
  announceTicketChange({ kind: 'commented', ticket: { id } })
  return comment
}

export function listHistory(id: number, signal?: AbortSignal): Promise<TicketChange[]> {
  return api.get<TicketChange[]>(`/api/tickets/${id}/history`, { signal })
}

let staffCache: Promise<StaffMember[]> | null = null

/** Active agents and admins, to pick an assignee (staff only; fetched once per page load). */
export function listStaff(): Promise<StaffMember[]> {
  if (!staffCache) {
    staffCache = Promise.all(
      ['agent', 'admin'].map((role) =>
        api.get<{ items: StaffMember[] }>('/api/users', { query: { role, limit: 200 } }).then((page) => page.items),
      ),
    )
      .then(([agents = [], admins = []]) =>
        [...new Map([...agents, ...admins].map((p) => [p.id, p])).values()].sort((a, b) => a.name.localeCompare(b.name)),
      )
      .catch((error: unknown) => {
        staffCache = null
        throw error
      })
  }
  return staffCache
}

/** For tests: forget the cached staff list. */
export function resetStaffCache(): void {
  staffCache = null
}

/** The current ticket a 409 carries (`{"detail", "current"}`), or null for any other error. */
export function conflictCurrent(error: unknown): TicketFull | null {
  if (!isApiError(error) || error.status !== 409) return null
  const body = error.body as { current?: TicketFull } | null
  return body?.current ?? null
}

/** A 422's bad fields as `field -> message` (the first message of each field). */
export function fieldErrors(error: unknown): Record<string, string> {
  const result: Record<string, string> = {}
  if (!isApiError(error) || error.status !== 422 || !Array.isArray(error.detail)) return result
  for (const item of error.detail as { loc?: unknown[]; msg?: string }[]) {
    const loc = Array.isArray(item.loc) ? item.loc.filter((part) => part !== 'body') : []
    const field = String(loc[0] ?? '_')
    if (!(field in result)) result[field] = String(item.msg ?? 'invalid')
  }
  return result
}

/** Human words for a status or priority value. */
export function label(value: string): string {
  return value ? value.charAt(0).toUpperCase() + value.slice(1).replace(/_/g, ' ') : ''
}

export function formatWhen(value: string): string {
  const date = new Date(value)
  if (Number.isNaN(date.getTime())) return ''
  return date.toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' })
}
