/** What the filter panel can show and how a choice changes the one filter (DESIGN.md "Filters"). */
import { api } from '@/api'
import { compactFilter, type TicketFilter } from '../shared/tickets'

export const FIELDS = ['status', 'priority', 'assignee_id', 'requester_id', 'team_id', 'tag', 'q', 'created', 'overdue', 'channel'] as const
export type Field = (typeof FIELDS)[number]
export const DEFAULT_FIELDS: Field[] = ['status', 'priority', 'assignee_id', 'q', 'overdue']

export const STATUSES = ['new', 'open', 'pending', 'resolved', 'closed'] as const
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const

export const FIELD_LABELS: Record<Field, string> = {
  status: 'Status',
  priority: 'Priority',
  assignee_id: 'Assignee',
  requester_id: 'Requester',
  team_id: 'Team',
  tag: 'Tags',
  q: 'Search',
  created: 'Created',
  overdue: 'Due',
  channel: 'Channel',
}

/** The `fields` setting, in the panel's own order; the defaults when unset or empty. */
export function fieldsFrom(setting: unknown): Field[] {
  if (!Array.isArray(setting)) return DEFAULT_FIELDS
  const chosen = FIELDS.filter((field) => setting.includes(field))
  return chosen.length > 0 ? chosen : DEFAULT_FIELDS
}

/** `filter` with `value` added to or taken out of the list `key` ("any of"). */
export function toggleValue(filter: TicketFilter, key: string, value: string | number): TicketFilter {
  const current = Array.isArray(filter[key]) ? (filter[key] as (string | number)[]) : []
  const next = current.includes(value) ? current.filter((v) => v !== value) : [...current, value]
  return compactFilter({ ...filter, [key]: next })
}

export function hasValue(filter: TicketFilter, key: string, value: string | number): boolean {
  const current = filter[key]
  return Array.isArray(current) && current.includes(value)
}

/** "vip, printer , " -> ["vip", "printer"] (tags are 1-40 characters, at most 20). */
export function parseTags(text: string): string[] {
  const tags = text
    .split(',')
    .map((tag) => tag.trim().slice(0, 40))
    .filter(Boolean)
  return [...new Set(tags)].slice(0, 20)
}

export interface StaffMember {
  id: number
  name: string
}

/** Active agents and admins, by name, to pick an assignee (only staff may list them). */
export async function fetchStaff(signal?: AbortSignal): Promise<StaffMember[]> {
  const pages = await Promise.all(
    ['agent', 'admin'].map((role) =>
      api.get<{ items: StaffMember[] }>('/api/users', { query: { role, is_active: true, limit: 200 }, signal }),
    ),
  )
  return pages.flatMap((page) => page.items).sort((a, b) => a.name.localeCompare(b.name))
}
