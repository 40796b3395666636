import { afterEach, describe, expect, it, vi } from 'vitest'
import KpiWidget from '../kpi/Widget.vue'
import { useDashboardFilterStore } from '../shared/dashboardFilter'
import { flushPromises, json, mockApi, mountWidget, placement, sentFilter } from './harness'

const events = vi.hoisted(() => ({ reloads: [] as (() => void)[] }))
vi.mock('@/realtime/useServerEvents', () => ({
  useTicketRefresh: (reload: () => void) => {
    events.reloads.push(reload)
    return () => {}
  },
}))

function kpi(value: number | null, previous: number | null, filter: unknown = null) {
  const change = value === null || previous === null ? null : value - previous
  return { value, previous, change, change_pct: change === null || !previous ? null : (100 * change) / previous, filter }
}

function kpis(overrides: Record<string, unknown> = {}) {
  return {
    days: 30,
    period: { start: '2026-10-31T00:00:00Z', end: '2026-11-30T00:00:00Z' },
    previous_period: { start: '2026-10-01T00:00:00Z', end: '2026-10-31T00:00:00Z' },
    open: kpi(45, 40, { status: ['new', 'open', 'pending'] }),
    unassigned: kpi(3, null, { status: ['new', 'open', 'pending'], assignee_id: ['none'] }),
    overdue: kpi(2, 4, { status: ['new', 'open', 'pending'], overdue: true }),
    median_first_response_seconds: kpi(null, null),
    median_resolution_seconds: kpi(7200, 3600),
    ...overrides,
  }
}

afterEach(() => {
  vi.unstubAllGlobals()
  events.reloads.length = 0
})

describe('kpi widget', () => {
  it('shows the figure with its change against the previous period (up is worse)', async () => {
    mockApi({ '/api/analytics/kpis': kpis() })
    const { wrapper } = await mountWidget(KpiWidget, placement('kpi', { metric: 'open' }))
    expect(wrapper.get('[data-testid="kpi-value"]').text()).toBe('45')
    const change = wrapper.get('[data-testid="kpi-change"]')
    expect(change.text()).toBe('▲ 12.5%')
    expect(change.attributes('data-tone')).toBe('worse')
    expect(change.attributes('aria-label')).toBe('Up 12.5% on the previous 30 days (40)')
  })

  it('names the metric in its body only when the frame carries a title of its own', async () => {
    mockApi({ '/api/analytics/kpis': kpis() })
    const plain = await mountWidget(KpiWidget, placement('kpi', { metric: 'unassigned' }))
    expect(plain.wrapper.find('[data-testid="kpi-label"]').exists()).toBe(false) // the frame says "Unassigned tickets"
    expect(plain.wrapper.get('[role="group"]').attributes('aria-label')).toBe('Unassigned tickets')
    const titled = await mountWidget(KpiWidget, placement('kpi', { metric: 'unassigned', title: 'Team A' }))
    expect(titled.wrapper.get('[data-testid="kpi-label"]').text()).toBe('Unassigned tickets')
  })

  it('shows a fall as better, and durations as durations', async () => {
    mockApi({ '/api/analytics/kpis': kpis() })
    const overdue = await mountWidget(KpiWidget, placement('kpi', { metric: 'overdue' }))
    expect(overdue.wrapper.get('[data-testid="kpi-change"]').attributes('data-tone')).toBe('better')
    const median = await mountWidget(KpiWidget, placement('kpi', { metric: 'resolution-median' }))
    expect(median.wrapper.get('[data-testid="kpi-value"]').text()).toBe('2 h 0 min')
    expect(median.wrapper.get('[data-testid="kpi-value"]').element.tagName).toBe('P') // no list for a median
  })

  it('is loading until the figures arrive', async () => {
    let answer: (value: Response) => void = () => {}
    mockApi({ '/api/analytics/kpis': () => new Promise<Response>((resolve) => (answer = resolve)) })
    const { wrapper } = await mountWidget(KpiWidget, placement('kpi', { metric: 'open' }))
    expect(wrapper.find('[role="status"]').exists()).toBe(true)
    expect(wrapper.get('.kpi').attributes('aria-busy')).toBe('true')
    answer(json(200, kpis()))
    await flushPromises()
    expect(wrapper.get('[data-testid="kpi-value"]').text()).toBe('45')
  })

  it('says when there is nothing to measure', async () => {
    mockApi({ '/api/analytics/kpis': kpis() })
    const { wrapper } = await mountWidget(KpiWidget, placement('kpi', { metric: 'first-response-median' }))
    expect(wrapper.find('[data-testid="kpi-empty"]').exists()).toBe(true)
  })

  it('shows an error with a retry', async () => {
    let fail = true
    mockApi({ '/api/analytics/kpis': () => (fail ? json(500, { detail: 'Database away' }) : kpis()) })
    const { wrapper } = await mountWidget(KpiWidget, placement('kpi', { metric: 'open' }))
    expect(wrapper.get('[role="alert"]').text()).toContain('Retry')
    fail = false
    await wrapper.get('[role="alert"] button').trigger('click')
    await flushPromises()
    expect(wrapper.get('[data-testid="kpi-value"]').text()).toBe('45')
  })

  it('drills down to the ticket list with the figure’s filter and count', async () => {
    mockApi({ '/api/analytics/kpis': kpis() })
    const { wrapper, router } = await mountWidget(KpiWidget, placement('kpi', { metric: 'unassigned' }))
    await wrapper.get('[data-testid="kpi-value"]').trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.path).toBe('/tickets')
    expect(JSON.parse(String(router.currentRoute.value.query.filter))).toEqual({ status: ['new', 'open', 'pending'], assignee_id: ['none'] })
    expect(router.currentRoute.value.query.count).toBe('3')
  })

  it('follows the filter panel when set to, and reloads on ticket events', async () => {
    const fetchMock = mockApi({ '/api/analytics/kpis': kpis() })
    await mountWidget(KpiWidget, placement('kpi', { metric: 'open', follow_filter_panel: true, filters: { tag: ['vip'] } }))
    expect(sentFilter(fetchMock)).toEqual({ tag: ['vip'] })
    useDashboardFilterStore().set({ priority: ['urgent'] })
    await flushPromises()
    expect(sentFilter(fetchMock)).toEqual({ tag: ['vip'], priority: ['urgent'] })
    const calls = fetchMock.mock.calls.length
    events.reloads.forEach((reload) => reload())
    await flushPromises()
    expect(fetchMock.mock.calls.length).toBe(calls + 1)
  })

  it('ignores the filter panel unless set to follow it', async () => {
    const fetchMock = mockApi({ '/api/analytics/kpis': kpis() })
    await mountWidget(KpiWidget, placement('kpi', { metric: 'open' }))
    useDashboardFilterStore().set({ priority: ['urgent'] })
    await flushPromises()
    expect(sentFilter(fetchMock)).toEqual({})
  })
})
