/** The ticket filter carried in a page's `?filter=` query (drill-down links), and its wording. */
import { teamLabel } from '@/features/teams/names'
import { compactFilter, type TicketFilter } from '@/widgets/shared/tickets'

/** The filter in the query, `{}` when absent, null when present but not a JSON object. */
export function filterFromQuery(raw: unknown): TicketFilter | null {
  const text = Array.isArray(raw) ? raw[0] : raw
  if (typeof text !== 'string' || text.trim() === '') return {}
  try {
    const parsed: unknown = JSON.parse(text)
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return null
    return compactFilter(parsed)
  } catch {
    return null
  }
}

const FIELD_LABELS: Record<string, string> = {
  status: 'Status',
  priority: 'Priority',
  assignee_id: 'Assignee',
  requester_id: 'Requester',
  team_id: 'Team',
  tag: 'Tag',
  q: 'Text',
  created: 'Created',
  overdue: 'Overdue',
  channel: 'Channel',
}

function team(value: unknown): string {
  if (value === 'mine') return 'my teams'
  if (value === 'none') return 'no team'
  return typeof value === 'number' ? teamLabel(value) : String(value)
}

function person(value: unknown): string {
  if (value === 'me') return 'me'
  if (value === 'none') return 'nobody'
  return `#${String(value)}`
}

/** "Status: open, pending" ... one line per set field, for people reading the list. */
export function describeFilter(filter: TicketFilter, names: Record<string, string> = {}): string[] {
  const lines: string[] = []
  for (const [key, value] of Object.entries(compactFilter(filter))) {
    const label = FIELD_LABELS[key] ?? key
    if (key === 'assignee_id' || key === 'requester_id') {
      const people = (value as unknown[]).map((v) => names[String(v)] ?? person(v))
      lines.push(`${label}: ${people.join(', ')}`)
    } else if (key === 'team_id' && Array.isArray(value)) {
      lines.push(`${label}: ${value.map(team).join(', ')}`)
    } else if (key === 'created' && typeof value === 'object') {
      const range = value as { from?: string; to?: string }
      const parts = [range.from ? `from ${range.from}` : '', range.to ? `to ${range.to}` : ''].filter(Boolean)
      lines.push(`${label}: ${parts.join(' ')}`)
    } else if (key === 'overdue') {
      lines.push(value ? 'Overdue only' : 'Not overdue')
    } else if (Array.isArray(value)) {
      lines.push(`${label}: ${value.join(', ')}`)
    } else {
      lines.push(`${label}: “${String(value)}”`)
    }
  }
  return lines
}
