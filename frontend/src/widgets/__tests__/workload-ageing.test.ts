import { afterEach, describe, expect, it, vi } from 'vitest'
import AgeingWidget from '../ageing/Widget.vue'
import { ageColor } from '../ageing/colors'
import { ageBands } from '../shared/analytics'
import WorkloadWidget from '../workload/Widget.vue'
import { useDashboardFilterStore } from '../shared/dashboardFilter'
import { flushPromises, json, mockApi, mountWidget, placement, sentFilter } from './harness'

const events = vi.hoisted(() => ({ reloads: [] as (() => void)[] }))
vi.mock('@/realtime/useServerEvents', () => ({
  useTicketRefresh: (reload: () => void) => {
    events.reloads.push(reload)
    return () => {}
  },
}))

const OPEN = ['new', 'open', 'pending']
const WORKLOAD = {
  total: 9,
  rows: [
    { agent: { id: 2, name: 'Ann Agent' }, count: 6, filter: { status: OPEN, assignee_id: [2] } },
    { agent: { id: 3, name: 'Bob Boss' }, count: 0, filter: { status: OPEN, assignee_id: [3] } },
    { agent: null, count: 3, filter: { status: OPEN, assignee_id: ['none'] } },
  ],
}
const AGEING = {
  total: 7,
  bands: [
    { key: 'lt_1d', label: '< 1 day', count: 2, filter: { status: OPEN, created: { from: '2026-11-30' } } },
    { key: '1_3d', label: '1-3 days', count: 0, filter: { status: OPEN, created: { from: '2026-11-28', to: '2026-11-29' } } },
    { key: '3_7d', label: '3-7 days', count: 1, filter: { status: OPEN, created: { from: '2026-11-24', to: '2026-11-27' } } },
    { key: '7_30d', label: '7-30 days', count: 0, filter: { status: OPEN, created: { from: '2026-11-01', to: '2026-11-23' } } },
    { key: 'gt_30d', label: '> 30 days', count: 4, filter: { status: OPEN, created: { to: '2026-10-31' } } },
  ],
}

afterEach(() => {
  vi.unstubAllGlobals()
  events.reloads.length = 0
})

describe('workload widget', () => {
  it('shows a bar per agent and the unassigned ones, each drilling down to its tickets', async () => {
    mockApi({ '/api/analytics/workload': WORKLOAD })
    const { wrapper, router } = await mountWidget(WorkloadWidget, placement('workload'))
    expect(wrapper.get('[data-testid="workload-total"]').text()).toBe('9 open tickets')
    const ann = wrapper.get('[data-testid="workload-row-2"]')
    expect(ann.attributes('aria-label')).toBe('Ann Agent: 6 open tickets, show them')
    expect(wrapper.get('[data-testid="workload-row-none"]').text()).toContain('Unassigned')
    await ann.trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.path).toBe('/tickets')
    expect(JSON.parse(String(router.currentRoute.value.query.filter))).toEqual({ status: OPEN, assignee_id: [2] })
    expect(router.currentRoute.value.query.count).toBe('6')
  })

  it('leaves the unassigned row out when its settings say so, and does not drill while editing', async () => {
    mockApi({ '/api/analytics/workload': WORKLOAD })
    const { wrapper, router } = await mountWidget(WorkloadWidget, placement('workload', { include_unassigned: false }), { editing: true })
    expect(wrapper.find('[data-testid="workload-row-none"]').exists()).toBe(false)
    expect(wrapper.get('[data-testid="workload-total"]').text()).toBe('6 open tickets')
    const ann = wrapper.get('[data-testid="workload-row-2"]')
    expect(ann.element.tagName).toBe('DIV')
    await ann.trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.path).toBe('/')
  })

  it('has loading, empty and error states', async () => {
    let answer: () => unknown = () => new Promise(() => {})
    mockApi({ '/api/analytics/workload': () => answer() })
    const loading = await mountWidget(WorkloadWidget, placement('workload'))
    expect(loading.wrapper.find('[data-testid="workload-loading"]').exists()).toBe(true)

    answer = () => ({ total: 0, rows: [] })
    const empty = await mountWidget(WorkloadWidget, placement('workload'))
    expect(empty.wrapper.find('[data-testid="workload-empty"]').exists()).toBe(true)

    answer = () => json(503, { detail: 'Try later' })
    const failed = await mountWidget(WorkloadWidget, placement('workload'))
    expect(failed.wrapper.find('[data-testid="workload-error"]').exists()).toBe(true)
    answer = () => WORKLOAD
    await failed.wrapper.get('[data-testid="workload-error"] button').trigger('click')
    await flushPromises()
    expect(failed.wrapper.find('[data-testid="workload-row-2"]').exists()).toBe(true)
  })

  it('follows the filter panel and refreshes on ticket events without flashing the loading state', async () => {
    let answer: () => unknown = () => WORKLOAD
    const fetchMock = mockApi({ '/api/analytics/workload': () => answer() })
    const { wrapper } = await mountWidget(WorkloadWidget, placement('workload', { follow_filter_panel: true }))
    useDashboardFilterStore().set({ priority: ['high'] })
    await flushPromises()
    expect(sentFilter(fetchMock)).toEqual({ priority: ['high'] })

    answer = () => new Promise(() => {})
    events.reloads.forEach((reload) => reload())
    await flushPromises()
    expect(wrapper.find('[data-testid="workload-loading"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="workload-row-2"]').exists()).toBe(true)
  })
})

describe('ageing widget', () => {
  it('shows the age bands with their counts, drilling down to each band', async () => {
    mockApi({ '/api/analytics/ageing': AGEING })
    const { wrapper, router } = await mountWidget(AgeingWidget, placement('ageing'))
    expect(wrapper.findAll('li')).toHaveLength(5)
    expect(wrapper.get('[data-testid="ageing-total"]').text()).toBe('7 open tickets by age')
    const old = wrapper.get('[data-testid="ageing-band-gt_30d"]')
    expect(old.attributes('aria-label')).toBe('> 30 days: 4 open tickets, show them')
    await old.trigger('click')
    await flushPromises()
    expect(JSON.parse(String(router.currentRoute.value.query.filter))).toEqual({ status: OPEN, created: { to: '2026-10-31' } })
    expect(router.currentRoute.value.query.count).toBe('4')
  })

  it('says when nothing is waiting, and shows errors', async () => {
    let answer: () => unknown = () => ({ total: 0, bands: AGEING.bands.map((b) => ({ ...b, count: 0 })) })
    mockApi({ '/api/analytics/ageing': () => answer() })
    const empty = await mountWidget(AgeingWidget, placement('ageing'))
    expect(empty.wrapper.find('[data-testid="ageing-empty"]').exists()).toBe(true)
    answer = () => json(500, { detail: 'boom' })
    const failed = await mountWidget(AgeingWidget, placement('ageing'))
    expect(failed.wrapper.get('[data-testid="ageing-error"]').attributes('role')).toBe('alert')
  })

  it('narrows by its own filter and the panel when following it', async () => {
    const fetchMock = mockApi({ '/api/analytics/ageing': AGEING })
    await mountWidget(AgeingWidget, placement('ageing', { follow_filter_panel: true, filters: { priority: ['low'] } }))
    useDashboardFilterStore().set({ priority: ['urgent'], assignee_id: ['me'] })
    await flushPromises()
    expect(sentFilter(fetchMock)).toEqual({ priority: ['urgent'], assignee_id: ['me'] })
  })

  it('colours the default bands from calm to alarming, by position', async () => {
    mockApi({ '/api/analytics/ageing': AGEING })
    const { wrapper } = await mountWidget(AgeingWidget, placement('ageing'))
    const fills = wrapper.findAll('.fill').map((fill) => fill.attributes('style'))
    expect(fills.map((style) => style?.match(/background: (.*?);/)?.[1])).toEqual([
      'var(--chart-2)',
      'var(--chart-1)',
      'var(--chart-4)',
      'var(--chart-3)',
      'var(--chart-5)',
    ])
  })

  it('asks for the bands of its buckets_days setting, ascending, and follows a change of them', async () => {
    const custom = {
      total: 5,
      bands: [
        { key: 'lt_2d', label: '< 2 days', count: 3, filter: { status: OPEN, created: { from: '2026-11-29' } } },
        { key: '2_14d', label: '2-14 days', count: 0, filter: { status: OPEN, created: { from: '2026-11-17', to: '2026-11-28' } } },
        { key: 'gt_14d', label: '> 14 days', count: 2, filter: { status: OPEN, created: { to: '2026-11-16' } } },
      ],
    }
    const fetchMock = mockApi({ '/api/analytics/ageing': custom })
    const { wrapper, router } = await mountWidget(AgeingWidget, placement('ageing', { buckets_days: [14, 2] }))
    const sent = () => new URL(String(fetchMock.mock.calls.at(-1)![0]), 'http://test').searchParams.get('bands')
    expect(sent()).toBe('2,14')
    expect(wrapper.findAll('li')).toHaveLength(3)
    const fills = wrapper.findAll('.fill').map((fill) => fill.attributes('style')?.match(/background: (.*?);/)?.[1])
    expect(fills).toEqual(['var(--chart-2)', 'var(--chart-4)', 'var(--chart-5)'])
    const old = wrapper.get('[data-testid="ageing-band-gt_14d"]')
    expect(old.attributes('aria-label')).toBe('> 14 days: 2 open tickets, show them')
    await old.trigger('click')
    await flushPromises()
    expect(JSON.parse(String(router.currentRoute.value.query.filter))).toEqual({ status: OPEN, created: { to: '2026-11-16' } })
    expect(router.currentRoute.value.query.count).toBe('2')

    const calls = fetchMock.mock.calls.length
    await wrapper.setProps({ widget: placement('ageing', { buckets_days: [1, 7, 30, 90] }) })
    await flushPromises()
    expect(fetchMock.mock.calls.length).toBe(calls + 1)
    expect(sent()).toBe('1,7,30,90')
    await wrapper.setProps({ widget: placement('ageing', {}) })
    await flushPromises()
    expect(fetchMock.mock.calls.length).toBe(calls + 2)
    expect(sent()).toBeNull()
  })
})

describe('age bands and their colours', () => {
  it('turn buckets_days into the API\'s bands: whole days 1..365, once each, ascending, at most 8', () => {
    expect(ageBands({})).toBeUndefined()
    expect(ageBands({ buckets_days: [] })).toBeUndefined()
    expect(ageBands({ buckets_days: 'soon' })).toBeUndefined()
    expect(ageBands({ buckets_days: [30, 7, 1, 3] })).toEqual([1, 3, 7, 30])
    expect(ageBands({ buckets_days: [3, 3, 0, 1.5, 400, '2', 2] })).toEqual([2, 3])
    expect(ageBands({ buckets_days: [9, 8, 7, 6, 5, 4, 3, 2, 1] })).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
  })

  it('walk the ramp from calm to alarming for any number of bands', () => {
    expect([0, 1].map((i) => ageColor(i, 2))).toEqual(['var(--chart-2)', 'var(--chart-5)'])
    expect([0, 1, 2, 3, 4].map((i) => ageColor(i, 5))).toEqual([
      'var(--chart-2)',
      'var(--chart-1)',
      'var(--chart-4)',
      'var(--chart-3)',
      'var(--chart-5)',
    ])
    const nine = Array.from({ length: 9 }, (_, i) => ageColor(i, 9))
    expect(nine[0]).toBe('var(--chart-2)')
    expect(nine[1]).toBe('color-mix(in srgb, var(--chart-2) 50%, var(--chart-1))')
    expect(nine[8]).toBe('var(--chart-5)')
    expect(new Set(nine).size).toBe(9)
    expect(ageColor(0, 1)).toBe('var(--chart-2)')
  })
})
