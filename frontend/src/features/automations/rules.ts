/** The rule editor's draft and its translation to and from the API (plain functions, tested alone). */
import type { Action, ActionType, Automation, AutomationCreate, Choices, Trigger } from './api'

export const TRIGGERS: { value: Trigger; label: string }[] = [
  { value: 'ticket.created', label: 'When a ticket is created' },
  { value: 'ticket.updated', label: 'When a ticket is updated' },
  { value: 'time', label: 'When a ticket has not changed for a while' },
]
export const STATUSES = ['new', 'open', 'pending', 'resolved', 'closed'] as const
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const
export const ACTION_TYPES: { value: ActionType; label: string }[] = [
  { value: 'set', label: 'Set fields' },
  { value: 'assign', label: 'Assign within a team' },
  { value: 'reply', label: 'Add a saved reply' },
  { value: 'notify', label: 'Notify people' },
  { value: 'webhook', label: 'Call a webhook' },
]

export interface Draft {
  name: string
  enabled: boolean
  when: Trigger
  afterMinutes: number | null
  status: string[]
  priority: string[]
  /** Comma-separated. */
  tags: string
  /** Conditions this editor does not show (set through the API): kept as they are. */
  otherConditions: AutomationCreate['conditions']
  actions: Action[]
}

export function emptyDraft(): Draft {
  return { name: '', enabled: true, when: 'ticket.created', afterMinutes: null, status: [], priority: [], tags: '', otherConditions: {}, actions: [] }
}

export function splitTags(text: string): string[] {
  return [...new Set(text.split(',').map((t) => t.trim().toLowerCase()).filter(Boolean))]
}

export function draftOf(rule: Automation): Draft {
  const c = rule.conditions
  return {
    name: rule.name,
    enabled: rule.enabled,
    when: rule.when,
    afterMinutes: rule.after_minutes ?? null,
    status: [...(c.status ?? [])],
    priority: [...(c.priority ?? [])],
    tags: (c.tag ?? []).join(', '),
    otherConditions: Object.fromEntries(
      Object.entries(c).filter(([key, value]) => !['status', 'priority', 'tag'].includes(key) && value != null),
    ),
    // A JSON copy: the rule may be a reactive proxy, which structuredClone refuses.
    actions: JSON.parse(JSON.stringify(rule.actions)) as Action[],
  }
}

/** The request body; conditions keep only what narrows the set. */
export function bodyOf(draft: Draft): AutomationCreate {
  const conditions: AutomationCreate['conditions'] = { ...draft.otherConditions }
  if (draft.status.length) conditions.status = draft.status as NonNullable<typeof conditions.status>
  if (draft.priority.length) conditions.priority = draft.priority as NonNullable<typeof conditions.priority>
  const tags = splitTags(draft.tags)
  if (tags.length) conditions.tag = tags
  return {
    name: draft.name.trim(),
    enabled: draft.enabled,
    when: draft.when,
    after_minutes: draft.when === 'time' ? draft.afterMinutes : null,
    conditions,
    actions: draft.actions,
  }
}

export function newAction(type: ActionType, choices: Choices): Action {
  switch (type) {
    case 'set':
      return { type, fields: { status: 'open' } }
    case 'assign':
      return { type, strategy: 'round_robin', team_id: choices.teams[0]?.id ?? 0 }
    case 'reply':
      return { type, saved_reply_id: choices.replies[0]?.id ?? 0, internal: false }
    case 'notify':
      return { type, user_ids: choices.staff[0] ? [choices.staff[0].id] : [] }
    case 'webhook':
      return { type, webhook_id: choices.webhooks[0]?.id ?? 0 }
  }
}

function nameOf(list: { id: number; name: string }[], id: number | null | undefined): string {
  return list.find((item) => item.id === id)?.name ?? `#${id}`
}

/** One line saying what an action does, for the rule list. */
export function describeAction(action: Action, choices: Choices): string {
  switch (action.type) {
    case 'set': {
      const parts = Object.entries(action.fields).map(([field, value]) => {
        if (field === 'assignee_id') return value === null ? 'unassign' : `assignee ${nameOf(choices.staff, value as number)}`
        return `${field} ${Array.isArray(value) ? value.join(', ') : String(value)}`
      })
      return `Set ${parts.join(', ')}`
    }
    case 'assign':
      return `Assign in team ${nameOf(choices.teams, action.team_id)} (${action.strategy === 'round_robin' ? 'round robin' : 'fewest open'})`
    case 'reply':
      return `${action.internal ? 'Internal note' : 'Reply'}: ${nameOf(choices.replies, action.saved_reply_id)}`
    case 'notify':
      return `Notify ${action.user_ids.map((id) => nameOf(choices.staff, id)).join(', ')}`
    case 'webhook':
      return `Webhook ${nameOf(choices.webhooks, action.webhook_id)}`
  }
}

/** "urgent, high · tag vip" for the list; "every ticket" when nothing narrows. */
export function describeConditions(rule: Automation): string {
  const c = rule.conditions
  const parts = [
    c.status?.length ? `status ${c.status.join('/')}` : '',
    c.priority?.length ? `priority ${c.priority.join('/')}` : '',
    c.tag?.length ? `tag ${c.tag.join('/')}` : '',
  ].filter(Boolean)
  return parts.length ? parts.join(' · ') : 'every ticket'
}

export function describeTrigger(rule: Automation): string {
  if (rule.when === 'time') return `${rule.after_minutes} min after the last change`
  return rule.when === 'ticket.created' ? 'on create' : 'on update'
}
