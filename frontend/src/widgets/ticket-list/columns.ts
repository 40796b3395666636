/** The ticket list's columns: header text and how a ticket shows in each. */
import { teamLabel } from '@/features/teams/names'
import { CHANNEL_LABELS, type Ticket } from '../shared/tickets'

export const DEFAULT_COLUMNS = ['number', 'title', 'status', 'priority', 'assignee', 'updated_at']
export const DEFAULT_SORT = '-updated_at'
export const DEFAULT_PAGE_SIZE = 25

export const COLUMN_LABELS: Record<string, string> = {
  number: '#',
  title: 'Title',
  status: 'Status',
  priority: 'Priority',
  requester: 'Requester',
  assignee: 'Assignee',
  team: 'Team',
  tags: 'Tags',
  channel: 'Channel',
  due_at: 'Due',
  sla: 'SLA',
  overdue: 'Overdue',
  first_response_at: 'First response',
  resolved_at: 'Resolved',
  created_at: 'Created',
  updated_at: 'Updated',
}

function shortDate(value: string | null): string {
  if (!value) return ''
  const date = new Date(value)
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleDateString(undefined, { month: 'short', day: 'numeric' })
}

export function cellText(ticket: Ticket, column: string): string {
  switch (column) {
    case 'number':
      return String(ticket.number)
    case 'title':
      return ticket.title
    case 'status':
      return ticket.status
    case 'priority':
      return ticket.priority
    case 'requester':
      return ticket.requester.name
    case 'assignee':
      return ticket.assignee?.name ?? 'Unassigned'
    case 'team':
      return teamLabel(ticket.team_id)
    case 'tags':
      return ticket.tags.join(', ')
    case 'channel':
      return ticket.channel ? CHANNEL_LABELS[ticket.channel] : ''
    case 'due_at':
      return shortDate(ticket.due_at)
    case 'overdue':
      return ticket.overdue ? 'Overdue' : ''
    case 'first_response_at':
      return shortDate(ticket.first_response_at)
    case 'resolved_at':
      return shortDate(ticket.resolved_at)
    case 'created_at':
      return shortDate(ticket.created_at)
    case 'updated_at':
      return shortDate(ticket.updated_at)
    default:
      return ''
  }
}

/** The columns a widget's settings ask for, known ones only, in their order (defaults when none). */
export function columnsFrom(setting: unknown): string[] {
  const chosen = Array.isArray(setting) ? setting.filter((c): c is string => typeof c === 'string' && c in COLUMN_LABELS) : []
  return chosen.length > 0 ? chosen : DEFAULT_COLUMNS
}

/** Columns whose header sorts the list, by the API's sort key. */
export const SORTABLE: Record<string, string> = {
  number: 'number',
  priority: 'priority',
  due_at: 'due_at',
  created_at: 'created_at',
  updated_at: 'updated_at',
}

/** The sort after a header click: a new column sorts descending first, the same one flips. */
export function nextSort(current: string, column: string): string {
  const key = SORTABLE[column]
  if (!key) return current
  if (current === `-${key}`) return key
  return `-${key}`
}
