import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { useAuthStore } from '@/features/auth/authStore'
import { describeFilter } from '@/features/tickets/filterQuery'
import FilterPanel from '@/widgets/filter-panel/Widget.vue'
import { useDashboardFilterStore } from '@/widgets/shared/dashboardFilter'
import { cellText } from '@/widgets/ticket-list/columns'
import { flushPromises, mockApi, mountWidget, placement } from '@/widgets/__tests__/harness'
import { teamChoice, teamFilterFrom, teamOptions, type Team } from '../api'
import { ensureTeamNames, resetTeamNames } from '../names'

function team(id: number, name: string, restrict_visibility = false): Team {
  return { id, name, member_ids: [], restrict_visibility, created_at: '2026-12-05T10:00:00Z', updated_at: '2026-12-05T10:00:00Z' }
}

const TEAMS = [team(3, 'Payroll', true), team(4, 'Network')]

function signedInAs(role: string) {
  const pinia = createPinia()
  setActivePinia(pinia)
  useAuthStore().user = { id: 1, email: 'me@x', name: 'Me', role } as never
  return pinia
}

beforeEach(() => {
  sessionStorage.clear()
  resetTeamNames()
})
afterEach(() => vi.unstubAllGlobals())

describe('team filter values', () => {
  it('offers my teams, no team, then each team (restricted ones say so)', () => {
    expect(teamOptions(TEAMS)).toEqual([
      { value: 'mine', label: 'My teams' },
      { value: 'none', label: 'No team' },
      { value: 3, label: 'Payroll (restricted)' },
      { value: 4, label: 'Network' },
    ])
  })

  it('maps a select value to the filter list and back', () => {
    expect(teamFilterFrom('')).toBeNull()
    expect(teamFilterFrom('mine')).toEqual(['mine'])
    expect(teamFilterFrom('none')).toEqual(['none'])
    expect(teamFilterFrom('3')).toEqual([3])
    expect(teamFilterFrom('several')).toBeNull()
    expect(teamFilterFrom('x')).toBeNull()
    expect(teamChoice(undefined)).toBe('')
    expect(teamChoice([3])).toBe('3')
    expect(teamChoice(['mine'])).toBe('mine')
    expect(teamChoice([3, 4])).toBe('several')
  })
})

describe('team names in lists', () => {
  it('shows the team name once loaded, and words team filters', async () => {
    mockApi({ '/api/teams': TEAMS })
    const ticket = { team_id: 3 } as never
    expect(cellText(ticket, 'team')).toBe('Team 3')
    await ensureTeamNames()
    expect(cellText(ticket, 'team')).toBe('Payroll')
    expect(cellText({ team_id: null } as never, 'team')).toBe('')
    expect(describeFilter({ team_id: ['mine', 'none', 4] })).toEqual(['Team: my teams, no team, Network'])
  })
})

describe('filter panel team field', () => {
  it('lists the teams for staff and puts the choice in the dashboard filter', async () => {
    mockApi({ '/api/teams': TEAMS, '/api/users': { items: [] } })
    const { wrapper } = await mountWidget(FilterPanel, placement('filter-panel', { fields: ['team_id'] }), { pinia: signedInAs('agent') })
    await flushPromises()
    const select = wrapper.get('[data-testid="filter-panel-team"]')
    expect(select.text()).toContain('Payroll (restricted)')
    await select.setValue('3')
    expect(useDashboardFilterStore().filter).toEqual({ team_id: [3] })
    await select.setValue('mine')
    expect(useDashboardFilterStore().filter).toEqual({ team_id: ['mine'] })
    await select.setValue('')
    expect(useDashboardFilterStore().filter).toEqual({})
  })

  it('is not shown to a requester, who may not list teams', async () => {
    const fetchMock = mockApi({})
    const { wrapper } = await mountWidget(FilterPanel, placement('filter-panel', { fields: ['team_id', 'q'] }), { pinia: signedInAs('user') })
    expect(wrapper.find('[data-testid="filter-panel-team"]').exists()).toBe(false)
    expect(fetchMock).not.toHaveBeenCalled()
  })
})

describe('widget settings filter form', () => {
  it('offers the teams source to staff and writes team_id into the widget filter', async () => {
    const { mount } = await import('@vue/test-utils')
    const FilterForm = (await import('@/features/dashboard/settings/FilterForm.vue')).default
    mockApi({ '/api/teams': TEAMS })
    const pinia = signedInAs('admin')
    const wrapper = mount(FilterForm, {
      props: { modelValue: { status: ['open'] }, statuses: ['open'], priorities: [], idPrefix: 's-w1' },
      global: { plugins: [pinia] },
    })
    await flushPromises()
    const select = wrapper.get('[data-testid="filter-team"]')
    expect(select.text()).toContain('My teams')
    expect(select.text()).toContain('Payroll (restricted)')
    await select.setValue('4')
    expect(wrapper.emitted('update:modelValue')?.at(-1)).toEqual([{ status: ['open'], team_id: [4] }])
    await wrapper.setProps({ modelValue: { team_id: [4] } })
    await select.setValue('')
    expect(wrapper.emitted('update:modelValue')?.at(-1)).toEqual([{}])
  })

  it('has no team field for a requester', async () => {
    const { mount } = await import('@vue/test-utils')
    const FilterForm = (await import('@/features/dashboard/settings/FilterForm.vue')).default
    const fetchMock = mockApi({})
    const wrapper = mount(FilterForm, {
      props: { modelValue: {}, statuses: [], priorities: [], idPrefix: 's-w1' },
      global: { plugins: [signedInAs('user')] },
    })
    await flushPromises()
    expect(wrapper.find('[data-testid="filter-team"]').exists()).toBe(false)
    expect(fetchMock).not.toHaveBeenCalled()
  })
})
