import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import TicketList from '../Widget.vue'
import { resetStaffCache } from '@/features/tickets/api'
import { resetViews } from '../view'
import { announceTicketChange } from '@/features/tickets/localChanges'
import { useDashboardFilterStore } from '../../shared/dashboardFilter'
import { pushEvent, resetEvents } from '@/features/tickets/__tests__/serverEventsMock'
import { answer, fakeApi, flushPromises, mountWidget, never, person, ticket } from '@/features/tickets/__tests__/harness'

vi.mock('@/realtime/useServerEvents', () => import('@/features/tickets/__tests__/serverEventsMock'))

const staff = answer('GET', '/api/users', () => ({ status: 200, body: { items: [{ ...person(7, 'Alex Agent'), role: 'agent' }], next_cursor: null } }))

beforeEach(() => {
  resetEvents()
  resetStaffCache()
  resetViews()
})
afterEach(() => {
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

describe('ticket-list widget', () => {
  it('shows a loading state, then the rows with the chosen columns', async () => {
    let release: (value: { status: number; body: unknown }) => void = () => undefined
    fakeApi(staff, answer('GET', '/api/tickets', () => new Promise((resolve) => (release = resolve))))
    const { wrapper } = await mountWidget(TicketList, { columns: ['number', 'title', 'status'] })
    expect(wrapper.find('[role="status"]').text()).toContain('Loading')
    release({ status: 200, body: { items: [ticket(1), ticket(2)], next_cursor: null } })
    await flushPromises()
    expect(wrapper.findAll('tbody tr')).toHaveLength(2)
    expect(wrapper.findAll('th').map((th) => th.text().replace(/[▲▼]/g, '').trim())).toEqual(['#', 'Title', 'Status'])
  })

  it('shows how each ticket came in, in the channel column', async () => {
    const rows = [ticket(1, { channel: 'email' }), ticket(2, { channel: 'web' }), ticket(3, { channel: 'api' })]
    fakeApi(staff, answer('GET', '/api/tickets', () => ({ status: 200, body: { items: rows, next_cursor: null } })))
    const { wrapper } = await mountWidget(TicketList, { columns: ['number', 'channel'] })
    await flushPromises()
    expect(wrapper.findAll('th').map((th) => th.text().replace(/[▲▼]/g, '').trim())).toEqual(['#', 'Channel'])
    expect(wrapper.findAll('td.col-channel').map((td) => td.text())).toEqual(['Email', 'Web', 'API'])
  })

  it('shows the empty state', async () => {
    fakeApi(staff, answer('GET', '/api/tickets', () => ({ status: 200, body: { items: [], next_cursor: null } })))
    const { wrapper } = await mountWidget(TicketList)
    expect(wrapper.find('[data-testid="ticket-list-empty"]').exists()).toBe(true)
  })

  it('shows the error state and retries', async () => {
    let fail = true
    fakeApi(
      staff,
      answer('GET', '/api/tickets', () =>
        fail ? { status: 500, body: { detail: 'Database is down' } } : { status: 200, body: { items: [ticket(1)], next_cursor: null } },
      ),
    )
    const { wrapper } = await mountWidget(TicketList)
    expect(wrapper.find('[role="alert"]').text()).toContain('Database is down')
    fail = false
    await wrapper.find('[role="alert"] button').trigger('click')
    await flushPromises()
    expect(wrapper.findAll('tbody tr')).toHaveLength(1)
  })

  it('sends its filter, sort and page size, and loads more with the cursor', async () => {
    const { calls } = fakeApi(
      staff,
      answer('GET', '/api/tickets', (call) =>
        call.query.get('cursor')
          ? { status: 200, body: { items: [ticket(3)], next_cursor: null } }
          : { status: 200, body: { items: [ticket(1), ticket(2)], next_cursor: 'abc' } },
      ),
    )
    const { wrapper } = await mountWidget(TicketList, { filters: { status: ['open'] }, sort: 'number', page_size: 10 })
    const first = calls.find((c) => c.path === '/api/tickets')!
    expect(JSON.parse(first.query.get('filter')!)).toEqual({ status: ['open'] })
    expect(first.query.get('sort')).toBe('number')
    expect(first.query.get('limit')).toBe('10')
    await wrapper.find('[data-testid="ticket-more-w1"]').trigger('click')
    await flushPromises()
    expect(calls.at(-1)!.query.get('cursor')).toBe('abc')
    expect(wrapper.findAll('tbody tr')).toHaveLength(3)
    expect(wrapper.find('[data-testid="ticket-more-w1"]').exists()).toBe(false)
  })

  it('follows the filter panel when follow_filter_panel is set', async () => {
    const { calls } = fakeApi(staff, answer('GET', '/api/tickets', () => ({ status: 200, body: { items: [], next_cursor: null } })))
    await mountWidget(TicketList, { filters: { priority: ['high'] }, follow_filter_panel: true })
    useDashboardFilterStore().set({ status: ['pending'] })
    await flushPromises()
    expect(JSON.parse(calls.at(-1)!.query.get('filter')!)).toEqual({ priority: ['high'], status: ['pending'] })
  })

  it('shows a saved view: its filter and columns', async () => {
    const { calls } = fakeApi(
      staff,
      answer('GET', '/api/views', () => ({
        status: 200,
        body: [{ id: 4, name: 'VIP queue', filter: { tag: ['vip'] }, columns: ['title', 'priority'], sort: '-priority' }],
      })),
      answer('GET', '/api/tickets', () => ({ status: 200, body: { items: [ticket(1)], next_cursor: null } })),
    )
    const { wrapper } = await mountWidget(TicketList, { view_id: 4, filters: { status: ['new'] } })
    const list = calls.filter((c) => c.path === '/api/tickets')
    expect(list).toHaveLength(1)
    expect(JSON.parse(list[0]!.query.get('filter')!)).toEqual({ tag: ['vip'] })
    expect(list[0]!.query.get('sort')).toBe('-priority')
    expect(wrapper.text()).toContain('View: VIP queue')
    expect(wrapper.findAll('th')).toHaveLength(2)
  })

  it('changes a status inline with the version (PUT)', async () => {
    const { calls } = fakeApi(
      staff,
      answer('GET', '/api/tickets', () => ({ status: 200, body: { items: [ticket(1, { version: 3 })], next_cursor: null } })),
      answer('PUT', '/api/tickets/1', () => ({ status: 200, body: ticket(1, { version: 4, status: 'pending' }) })),
    )
    const { wrapper } = await mountWidget(TicketList)
    await wrapper.find('[data-testid="ticket-status-1"]').setValue('pending')
    await flushPromises()
    expect(calls.find((c) => c.method === 'PUT')!.body).toEqual({ status: 'pending', version: 3 })
    expect((wrapper.find('[data-testid="ticket-status-1"]').element as HTMLSelectElement).value).toBe('pending')
  })

  it('shows a 409 and refreshes the row with the current ticket', async () => {
    fakeApi(
      staff,
      answer('GET', '/api/tickets', () => ({ status: 200, body: { items: [ticket(1, { version: 3 })], next_cursor: null } })),
      answer('PUT', '/api/tickets/1', () => ({
        status: 409,
        body: { detail: 'stale', current: ticket(1, { version: 5, status: 'resolved', priority: 'urgent' }) },
      })),
    )
    const { wrapper } = await mountWidget(TicketList)
    await wrapper.find('[data-testid="ticket-status-1"]').setValue('pending')
    await flushPromises()
    expect(wrapper.find('[data-testid="ticket-row-notice-1"]').text()).toContain('changed by someone else')
    expect((wrapper.find('[data-testid="ticket-status-1"]').element as HTMLSelectElement).value).toBe('resolved')
    expect((wrapper.find('[data-testid="ticket-priority-1"]').element as HTMLSelectElement).value).toBe('urgent')
  })

  it('changes the assignee inline through a picker drawn on demand', async () => {
    const { calls } = fakeApi(
      staff,
      answer('GET', '/api/tickets', () => ({ status: 200, body: { items: [ticket(1, { version: 2 })], next_cursor: null } })),
      answer('PUT', '/api/tickets/1', () => ({ status: 200, body: ticket(1, { version: 3, assignee: person(7, 'Alex Agent') }) })),
    )
    const { wrapper } = await mountWidget(TicketList)
    expect(wrapper.find('[data-testid="ticket-assignee-select-1"]').exists()).toBe(false)
    await wrapper.find('[data-testid="ticket-assignee-1"]').trigger('click')
    const select = wrapper.find('[data-testid="ticket-assignee-select-1"]')
    expect(select.findAll('option').map((o) => o.text())).toEqual(['Unassigned', 'Alex Agent'])
    await select.setValue('7')
    await flushPromises()
    expect(calls.find((c) => c.method === 'PUT')!.body).toEqual({ assignee_id: 7, version: 2 })
    await select.trigger('blur')
    expect(wrapper.find('[data-testid="ticket-assignee-1"]').text()).toContain('Alex Agent')
  })

  it('shows plain values (no inline edits) to a requester', async () => {
    fakeApi(answer('GET', '/api/tickets', () => ({ status: 200, body: { items: [ticket(1)], next_cursor: null } })))
    const { wrapper } = await mountWidget(TicketList, {}, { role: 'user' })
    expect(wrapper.find('select').exists()).toBe(false)
    expect(wrapper.find('.pill').text()).toBe('Open')
  })

  it('opens a ticket from its row', async () => {
    fakeApi(staff, answer('GET', '/api/tickets', () => ({ status: 200, body: { items: [ticket(1)], next_cursor: null } })))
    const { wrapper, router } = await mountWidget(TicketList)
    await wrapper.find('[data-testid="ticket-open-1"]').trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.query.ticket).toBe('1')
  })

  it('reloads quietly on ticket events', async () => {
    let items = [ticket(1)]
    fakeApi(staff, answer('GET', '/api/tickets', () => ({ status: 200, body: { items, next_cursor: null } })))
    const { wrapper } = await mountWidget(TicketList)
    items = [ticket(2), ticket(1)]
    pushEvent('ticket.created', ticket(2))
    await flushPromises()
    expect(wrapper.findAll('tbody tr')).toHaveLength(2)
  })

  it("reloads after this tab's own changes (the server does not echo them)", async () => {
    let items = [ticket(1)]
    fakeApi(staff, answer('GET', '/api/tickets', () => ({ status: 200, body: { items, next_cursor: null } })))
    const { wrapper } = await mountWidget(TicketList)
    items = [ticket(9), ticket(1)]
    announceTicketChange({ kind: 'created', ticket: ticket(9) })
    await new Promise((resolve) => setTimeout(resolve, 5))
    await flushPromises()
    expect(wrapper.findAll('tbody tr')).toHaveLength(2)
  })

  it('sorts by a column header and says so to assistive technology', async () => {
    const { calls } = fakeApi(staff, answer('GET', '/api/tickets', () => ({ status: 200, body: { items: [ticket(1)], next_cursor: null } })))
    const { wrapper } = await mountWidget(TicketList, { columns: ['number', 'title'] })
    await wrapper.find('th.col-number button').trigger('click')
    await flushPromises()
    expect(calls.at(-1)!.query.get('sort')).toBe('-number')
    expect(wrapper.find('th.col-number').attributes('aria-sort')).toBe('descending')
  })

  it('never loads while something is still loading', async () => {
    fakeApi(staff, answer('GET', '/api/tickets', never))
    const { wrapper } = await mountWidget(TicketList)
    expect(wrapper.find('.ticket-list').attributes('aria-busy')).toBe('true')
  })
})
