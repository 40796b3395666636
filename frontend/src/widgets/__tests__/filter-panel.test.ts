import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { useAuthStore } from '@/features/auth/authStore'
import { useLayoutStore } from '@/features/dashboard/layoutStore'
import FilterPanel from '../filter-panel/Widget.vue'
import { useDashboardFilterStore } from '../shared/dashboardFilter'
import { flushPromises, json, mockApi, mountWidget, placement } from './harness'
import { createPinia, setActivePinia } from 'pinia'

const STAFF = { items: [{ id: 2, name: 'Ann Agent' }, { id: 3, name: 'Bob Boss' }] }

function signedInAs(role: string) {
  const pinia = createPinia()
  setActivePinia(pinia)
  useAuthStore().user = { id: 1, email: 'me@x', name: 'Me', role } as never
  return pinia
}

beforeEach(() => sessionStorage.clear())
afterEach(() => {
  vi.unstubAllGlobals()
  vi.useRealTimers()
})

describe('filter-panel widget', () => {
  it('shows the default fields and puts a chosen status in the store at once', async () => {
    mockApi({ '/api/users': STAFF })
    const { wrapper } = await mountWidget(FilterPanel, placement('filter-panel'), { pinia: signedInAs('agent') })
    const store = useDashboardFilterStore()
    expect(wrapper.find('[data-testid="filter-panel-status-open"]').exists()).toBe(true)
    expect(wrapper.find('[data-testid="filter-panel-priority-urgent"]').exists()).toBe(true)
    expect(wrapper.find('[data-testid="filter-panel-tag"]').exists()).toBe(false)

    const open = wrapper.get('[data-testid="filter-panel-status-open"]')
    await open.trigger('click')
    expect(store.filter).toEqual({ status: ['open'] })
    expect(open.attributes('aria-pressed')).toBe('true')
    await wrapper.get('[data-testid="filter-panel-status-pending"]').trigger('click')
    expect(store.filter).toEqual({ status: ['open', 'pending'] })
    await open.trigger('click')
    expect(store.filter).toEqual({ status: ['pending'] })
    await wrapper.get('[data-testid="filter-panel-overdue"]').setValue(true)
    expect(store.filter).toEqual({ status: ['pending'], overdue: true })

    await wrapper.get('[data-testid="filter-panel-clear"]').trigger('click')
    expect(store.filter).toEqual({})
    expect(wrapper.find('[data-testid="filter-panel-clear"]').exists()).toBe(false)
  })

  it('lists staff as assignees (loading, then the people) and picks one', async () => {
    const fetchMock = mockApi({ '/api/users': STAFF })
    const { wrapper } = await mountWidget(FilterPanel, placement('filter-panel'), { pinia: signedInAs('agent') })
    const select = wrapper.get('[data-testid="filter-panel-assignee"]')
    expect(select.text()).toContain('Ann Agent')
    expect(fetchMock.mock.calls.map((c) => String(c[0]))).toEqual(
      expect.arrayContaining([expect.stringContaining('role=agent'), expect.stringContaining('role=admin')]),
    )
    await select.setValue('2')
    expect(useDashboardFilterStore().filter).toEqual({ assignee_id: [2] })
    await select.setValue('me')
    expect(useDashboardFilterStore().filter).toEqual({ assignee_id: ['me'] })
  })

  it('says so when the people cannot be loaded, and retries', async () => {
    let fail = true
    mockApi({ '/api/users': () => (fail ? json(500, { detail: 'boom' }) : STAFF) })
    const { wrapper } = await mountWidget(FilterPanel, placement('filter-panel'), { pinia: signedInAs('agent') })
    expect(wrapper.get('[role="alert"]').text()).toContain('People could not be loaded')
    fail = false
    await wrapper.get('[role="alert"] button').trigger('click')
    await flushPromises()
    expect(wrapper.find('[role="alert"]').exists()).toBe(false)
    expect(wrapper.get('[data-testid="filter-panel-assignee"]').text()).toContain('Bob Boss')
  })

  it('does not ask for staff as a requester, and shows only the fields its settings choose', async () => {
    const fetchMock = mockApi({})
    const { wrapper } = await mountWidget(FilterPanel, placement('filter-panel', { fields: ['tag', 'created', 'requester_id'] }), {
      pinia: signedInAs('user'),
    })
    expect(fetchMock).not.toHaveBeenCalled()
    expect(wrapper.find('[data-testid="filter-panel-status-open"]').exists()).toBe(false)
    await wrapper.get('[data-testid="filter-panel-tag"]').setValue(' vip, printer ,')
    await wrapper.get('[data-testid="filter-panel-tag"]').trigger('change')
    await wrapper.get('[data-testid="filter-panel-created-from"]').setValue('2026-11-01')
    await wrapper.get('[data-testid="filter-panel-requester_id-me"]').trigger('click')
    expect(useDashboardFilterStore().filter).toEqual({ tag: ['vip', 'printer'], created: { from: '2026-11-01' }, requester_id: ['me'] })
  })

  it('narrows by channel when its settings show it (email tickets apart from web ones)', async () => {
    mockApi({})
    const { wrapper } = await mountWidget(FilterPanel, placement('filter-panel', { fields: ['channel'] }), { pinia: signedInAs('agent') })
    const email = wrapper.get('[data-testid="filter-panel-channel-email"]')
    expect(email.text()).toBe('Email')
    await email.trigger('click')
    expect(useDashboardFilterStore().filter).toEqual({ channel: ['email'] })
    expect(email.attributes('aria-pressed')).toBe('true')
    await wrapper.get('[data-testid="filter-panel-channel-api"]').trigger('click')
    expect(useDashboardFilterStore().filter).toEqual({ channel: ['email', 'api'] })
  })

  it('applies typed text after a pause', async () => {
    vi.useFakeTimers()
    mockApi({ '/api/users': STAFF })
    const { wrapper } = await mountWidget(FilterPanel, placement('filter-panel'), { pinia: signedInAs('agent') })
    await wrapper.get('[data-testid="filter-panel-q"]').setValue('printer')
    expect(useDashboardFilterStore().filter).toEqual({})
    vi.advanceTimersByTime(350)
    expect(useDashboardFilterStore().filter).toEqual({ q: 'printer' })
  })

  it('keeps the choice across a reload of the tab (sessionStorage)', async () => {
    mockApi({ '/api/users': STAFF })
    const first = await mountWidget(FilterPanel, placement('filter-panel'), { pinia: signedInAs('agent') })
    await first.wrapper.get('[data-testid="filter-panel-priority-high"]').trigger('click')
    await flushPromises()
    first.wrapper.unmount()

    const again = await mountWidget(FilterPanel, placement('filter-panel'), { pinia: signedInAs('agent') })
    expect(useDashboardFilterStore().filter).toEqual({ priority: ['high'] })
    expect(again.wrapper.get('[data-testid="filter-panel-priority-high"]').attributes('aria-pressed')).toBe('true')
  })

  it('counts the widgets that follow it', async () => {
    mockApi({ '/api/users': STAFF })
    const pinia = signedInAs('agent')
    const layout = useLayoutStore()
    layout.document = {
      user_id: 1,
      version: 1,
      schema_version: 1,
      updated_at: '',
      grid: { columns: 12, row_height: 80 },
      widgets: [placement('filter-panel'), placement('ticket-list', { follow_filter_panel: true }, 'w2'), placement('kpi', {}, 'w3')],
    } as never
    const { wrapper } = await mountWidget(FilterPanel, placement('filter-panel'), { pinia })
    expect(wrapper.get('[data-testid="filter-panel-followers"]').text()).toBe('Drives 1 widget')
  })
})
