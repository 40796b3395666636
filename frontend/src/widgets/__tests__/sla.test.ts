import { describe, expect, it } from 'vitest'
import { formatLeft, slaBadge } from '../shared/sla'
import type { TicketSla } from '../shared/tickets'

const NOW = Date.parse('2026-12-07T10:00:00Z')

function sla(fields: Partial<TicketSla> = {}): TicketSla {
  return {
    policy_id: 1,
    first_response_due_at: '2026-12-07T10:12:05Z',
    resolution_due_at: '2026-12-07T18:00:00Z',
    paused_minutes: 0,
    paused: false,
    at_risk: false,
    breached: { first_response: false, resolution: false },
    ...fields,
  }
}

const open = { first_response_at: null, resolved_at: null }

describe('the SLA badge', () => {
  it('counts down to the next running target', () => {
    expect(slaBadge({ ...open, sla: sla() }, NOW)).toMatchObject({ state: 'ok', text: '12m 05s', target: 'first response' })
  })

  it('skips the first response once given', () => {
    const badge = slaBadge({ first_response_at: '2026-12-07T09:30:00Z', resolved_at: null, sla: sla() }, NOW)
    expect(badge).toMatchObject({ state: 'ok', text: '8h 00m', target: 'resolution' })
  })

  it('turns to breached when the due time passes, before the server says so', () => {
    expect(slaBadge({ ...open, sla: sla() }, NOW + 12 * 60_000 + 5_000)).toMatchObject({ state: 'breached', text: 'Breached' })
  })

  it('shows the server state: at risk, breached, paused, met, none', () => {
    expect(slaBadge({ ...open, sla: sla({ at_risk: true }) }, NOW).state).toBe('at_risk')
    expect(slaBadge({ ...open, sla: sla({ breached: { first_response: true, resolution: false } }) }, NOW).text).toBe('Breached')
    const paused = sla({ paused: true, first_response_due_at: null, resolution_due_at: null })
    expect(slaBadge({ ...open, sla: paused }, NOW).state).toBe('paused')
    expect(slaBadge({ first_response_at: null, resolved_at: '2026-12-07T09:00:00Z', sla: sla() }, NOW).state).toBe('met')
    expect(slaBadge({ ...open, sla: null }, NOW).state).toBe('none')
  })

  it('formats what is left', () => {
    expect(formatLeft(45_000)).toBe('45s')
    expect(formatLeft(3 * 3600_000 + 10 * 60_000)).toBe('3h 10m')
    expect(formatLeft(52 * 3600_000)).toBe('2d 4h')
    expect(formatLeft(-5)).toBe('0s')
  })
})
