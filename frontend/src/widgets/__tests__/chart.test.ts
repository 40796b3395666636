import { afterEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h } from 'vue'
import ChartWidget from '../chart/Widget.vue'
import { describe as describeChart, toModel } from '../chart/model'
import { useDashboardFilterStore } from '../shared/dashboardFilter'
import { flushPromises, json, mockApi, mountWidget, placement, sentFilter } from './harness'

const events = vi.hoisted(() => ({ reloads: [] as (() => void)[] }))
vi.mock('@/realtime/useServerEvents', () => ({
  useTicketRefresh: (reload: () => void) => {
    events.reloads.push(reload)
    return () => {}
  },
}))
// No canvas in jsdom: a stand-in that shows what it was given and emits clicks as chart.js would.
vi.mock('../chart/ChartCanvas.vue', () => ({
  default: defineComponent({
    props: { model: { type: Object, required: true }, label: String, drillable: Boolean },
    emits: ['select'],
    setup(props, { emit }) {
      return () =>
        h('div', { 'data-testid': 'chart-canvas', 'aria-label': props.label, 'data-type': (props.model as { type: string }).type }, [
          h('button', { 'data-testid': 'canvas-hit-0-1', onClick: () => emit('select', 0, 1) }),
          h('button', { 'data-testid': 'canvas-hit-1-1', onClick: () => emit('select', 1, 1) }),
        ])
    },
  }),
}))

const BY_STATUS = {
  total: 10,
  segments: [
    { key: 'new', count: 3, filter: { status: ['new'] } },
    { key: 'open', count: 5, filter: { status: ['open'] } },
    { key: 'pending', count: 2, filter: { status: ['pending'] } },
    { key: 'resolved', count: 0, filter: { status: ['resolved'] } },
    { key: 'closed', count: 0, filter: { status: ['closed'] } },
  ],
}
const FLOW = {
  days: 3,
  points: [
    { day: '2026-11-28', created: 2, resolved: 1, created_filter: { created: { from: '2026-11-28', to: '2026-11-28' } } },
    { day: '2026-11-29', created: 4, resolved: 0, created_filter: { created: { from: '2026-11-29', to: '2026-11-29' } } },
    { day: '2026-11-30', created: 1, resolved: 3, created_filter: { created: { from: '2026-11-30', to: '2026-11-30' } } },
  ],
}

afterEach(() => {
  vi.unstubAllGlobals()
  events.reloads.length = 0
})

describe('chart model', () => {
  it('turns a breakdown into one bar per segment with per-point filters', () => {
    const model = toModel('by-status', BY_STATUS)
    expect(model.type).toBe('bar')
    expect(model.labels).toEqual(['New', 'Open', 'Pending', 'Resolved', 'Closed'])
    expect(model.series[0]!.drill[1]).toEqual({ status: ['open'] })
    expect(model.empty).toBe(false)
    expect(describeChart('by-status', model)).toBe('Tickets by status: New 3, Open 5, Pending 2, Resolved 0, Closed 0')
  })

  it('draws created and resolved per day; only created drills down', () => {
    const model = toModel('created-vs-resolved', FLOW)
    expect(model.series.map((s) => s.values)).toEqual([
      [2, 4, 1],
      [1, 0, 3],
    ])
    expect(model.series[1]!.drill).toEqual([null, null, null])
    expect(toModel('backlog', { days: 2, points: [{ day: '2026-11-29', open: 0 }, { day: '2026-11-30', open: 0 }] }).empty).toBe(true)
  })
})

describe('chart widget', () => {
  it('is loading, then draws the chart with keyboard-reachable segments that drill down', async () => {
    let answer: (r: Response) => void = () => {}
    mockApi({ '/api/analytics/by-status': () => new Promise<Response>((resolve) => (answer = resolve)) })
    const { wrapper, router } = await mountWidget(ChartWidget, placement('chart', { kind: 'by-status' }))
    expect(wrapper.find('[data-testid="chart-loading"]').exists()).toBe(true)
    answer(json(200, BY_STATUS))
    await flushPromises()
    await vi.dynamicImportSettled()
    await flushPromises()
    expect(wrapper.get('[data-testid="chart-canvas"]').attributes('aria-label')).toContain('Open 5')
    const open = wrapper.get('[data-testid="chart-segment-open"]')
    expect(open.attributes('aria-label')).toBe('Open: 5 tickets, show them')
    await open.trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.path).toBe('/tickets')
    expect(JSON.parse(String(router.currentRoute.value.query.filter))).toEqual({ status: ['open'] })
    expect(router.currentRoute.value.query.count).toBe('5')
  })

  it('drills down from a click on the canvas, per day for created tickets only', async () => {
    const fetchMock = mockApi({ '/api/analytics/created-vs-resolved': FLOW })
    const { wrapper, router } = await mountWidget(ChartWidget, placement('chart', { kind: 'created-vs-resolved', range_days: 3 }))
    await vi.dynamicImportSettled()
    await flushPromises()
    expect(String(fetchMock.mock.calls[0]![0])).toContain('days=3')
    await wrapper.get('[data-testid="canvas-hit-1-1"]').trigger('click') // resolved: no list filter
    await flushPromises()
    expect(router.currentRoute.value.path).toBe('/')
    await wrapper.get('[data-testid="canvas-hit-0-1"]').trigger('click')
    await flushPromises()
    expect(JSON.parse(String(router.currentRoute.value.query.filter))).toEqual({ created: { from: '2026-11-29', to: '2026-11-29' } })
    expect(router.currentRoute.value.query.count).toBe('4')
  })

  it('does not drill down while the dashboard is being edited', async () => {
    mockApi({ '/api/analytics/by-status': BY_STATUS })
    const { wrapper, router } = await mountWidget(ChartWidget, placement('chart', { kind: 'by-status' }), { editing: true })
    await vi.dynamicImportSettled()
    await flushPromises()
    expect(wrapper.get('[data-testid="chart-segment-open"]').attributes('disabled')).toBeDefined()
    await wrapper.get('[data-testid="canvas-hit-0-1"]').trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.path).toBe('/')
  })

  it('has empty and error states', async () => {
    let answer: () => unknown = () => ({ total: 0, segments: [] })
    mockApi({ '/api/analytics/by-priority': () => answer() })
    const empty = await mountWidget(ChartWidget, placement('chart', { kind: 'by-priority' }))
    expect(empty.wrapper.find('[data-testid="chart-empty"]').exists()).toBe(true)
    expect(empty.wrapper.find('[data-testid="chart-canvas"]').exists()).toBe(false)
    answer = () => json(500, { detail: 'boom' })
    const failed = await mountWidget(ChartWidget, placement('chart', { kind: 'by-priority' }))
    expect(failed.wrapper.get('[data-testid="chart-error"]').attributes('role')).toBe('alert')
  })

  it('follows the filter panel and reloads on ticket events', async () => {
    const fetchMock = mockApi({ '/api/analytics/backlog': { days: 30, points: [{ day: '2026-11-30', open: 4 }] } })
    await mountWidget(ChartWidget, placement('chart', { kind: 'backlog', follow_filter_panel: true }))
    useDashboardFilterStore().set({ status: ['open'] })
    await flushPromises()
    expect(sentFilter(fetchMock)).toEqual({ status: ['open'] })
    const calls = fetchMock.mock.calls.length
    events.reloads.forEach((reload) => reload())
    await flushPromises()
    expect(fetchMock.mock.calls.length).toBe(calls + 1)
  })
})
