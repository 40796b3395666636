import { describe, expect, it } from 'vitest'
import type { Automation, Choices } from '../api'
import { bodyOf, describeAction, describeConditions, describeTrigger, draftOf, emptyDraft, newAction, splitTags } from '../rules'

const choices: Choices = {
  teams: [{ id: 3, name: 'Billing' }],
  replies: [{ id: 5, name: 'Ack (global)' }],
  webhooks: [{ id: 8, name: 'https://crm.example/hook' }],
  staff: [
    { id: 11, name: 'Alex' },
    { id: 12, name: 'Ada' },
  ],
}

const rule: Automation = {
  id: 1,
  name: 'Urgent',
  enabled: true,
  when: 'ticket.created',
  after_minutes: null,
  conditions: { priority: ['urgent'], tag: ['vip', 'press'] },
  actions: [
    { type: 'set', fields: { tags: ['desk'], assignee_id: null } },
    { type: 'assign', strategy: 'least_open', team_id: 3 },
    { type: 'notify', user_ids: [12, 99] },
  ],
  created_by_id: 12,
  created_at: '2026-12-05T10:00:00Z',
  updated_at: '2026-12-05T10:00:00Z',
}

describe('the rule draft', () => {
  it('round-trips a rule into the same request body', () => {
    const body = bodyOf(draftOf(rule))
    expect(body).toEqual({
      name: 'Urgent',
      enabled: true,
      when: 'ticket.created',
      after_minutes: null,
      conditions: { priority: ['urgent'], tag: ['vip', 'press'] },
      actions: rule.actions,
    })
  })

  it('keeps only conditions that narrow, trims the name, and waits only for time rules', () => {
    const draft = { ...emptyDraft(), name: '  Remind  ', afterMinutes: 60, tags: ' A, b ,a,, ' }
    expect(bodyOf(draft)).toMatchObject({ name: 'Remind', after_minutes: null, conditions: { tag: ['a', 'b'] } })
    expect(bodyOf({ ...draft, when: 'time' }).after_minutes).toBe(60)
    expect(bodyOf(emptyDraft()).conditions).toEqual({})
  })

  it('keeps conditions the editor does not show', () => {
    const withMore = { ...rule, conditions: { ...rule.conditions, assignee_id: ['none' as const], overdue: true } }
    expect(bodyOf(draftOf(withMore)).conditions).toEqual(withMore.conditions)
  })

  it('does not share action objects with the rule it edits', () => {
    const draft = draftOf(rule)
    ;(draft.actions[1] as { team_id: number }).team_id = 4
    expect((rule.actions[1] as { team_id: number }).team_id).toBe(3)
  })

  it('splits tags like the server stores them', () => {
    expect(splitTags('VIP, press ,vip,')).toEqual(['vip', 'press'])
  })
})

describe('actions', () => {
  it('start from the first choice available', () => {
    expect(newAction('assign', choices)).toEqual({ type: 'assign', strategy: 'round_robin', team_id: 3 })
    expect(newAction('reply', choices)).toEqual({ type: 'reply', saved_reply_id: 5, internal: false })
    expect(newAction('notify', choices)).toEqual({ type: 'notify', user_ids: [11] })
    expect(newAction('webhook', choices)).toEqual({ type: 'webhook', webhook_id: 8 })
  })

  it('are described by name, unknown ids by number', () => {
    const [set, assign, notify] = rule.actions
    expect(describeAction(set!, choices)).toBe('Set tags desk, unassign')
    expect(describeAction(assign!, choices)).toBe('Assign in team Billing (fewest open)')
    expect(describeAction(notify!, choices)).toBe('Notify Ada, #99')
  })

  it('say when and for which tickets a rule runs', () => {
    expect(describeConditions(rule)).toBe('priority urgent · tag vip/press')
    expect(describeConditions({ ...rule, conditions: {} })).toBe('every ticket')
    expect(describeTrigger({ ...rule, when: 'time', after_minutes: 4320 })).toBe('4320 min after the last change')
  })
})
