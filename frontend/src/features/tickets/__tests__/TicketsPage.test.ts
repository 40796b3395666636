import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import TicketsPage from '../TicketsPage.vue'
import { describeFilter, filterFromQuery } from '../filterQuery'

vi.mock('@/realtime/useServerEvents', () => ({ useTicketRefresh: () => () => {} }))

function ticket(id: number) {
  return {
    id,
    number: id,
    title: `Ticket ${id}`,
    status: 'open',
    priority: 'normal',
    requester: { id: 9, name: 'Rita', email: 'r@x' },
    assignee: null,
    tags: [],
    due_at: null,
    first_response_at: null,
    resolved_at: null,
    overdue: false,
    created_at: '2026-11-01T00:00:00Z',
    updated_at: '2026-11-01T00:00:00Z',
  }
}

function respond(body: unknown): Response {
  return new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } })
}

async function open(url: string) {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', component: { render: () => null } },
      { path: '/tickets', component: TicketsPage },
      { path: '/tickets/:id', component: { render: () => null } },
    ],
  })
  await router.push(url)
  const page = mount(TicketsPage, { global: { plugins: [createPinia(), router] } })
  await flushPromises()
  return page
}

afterEach(() => vi.unstubAllGlobals())

describe('tickets page (drill-down target)', () => {
  it('reads every page so the count shown is the number of rows listed', async () => {
    const pages = [
      { items: Array.from({ length: 200 }, (_, i) => ticket(i + 1)), next_cursor: 'c1' },
      { items: [ticket(201), ticket(202)], next_cursor: null },
    ]
    const fetchMock = vi.fn(async () => respond(pages.shift()))
    vi.stubGlobal('fetch', fetchMock)
    const page = await open(`/tickets?filter=${encodeURIComponent('{"status":["open"]}')}&count=202`)
    expect(fetchMock).toHaveBeenCalledTimes(2)
    const url = new URL(String((fetchMock.mock.calls[0] as unknown[])[0]), 'http://x')
    expect(JSON.parse(url.searchParams.get('filter')!)).toEqual({ status: ['open'] })
    expect(page.findAll('tbody tr')).toHaveLength(202)
    expect(page.get('[data-testid="tickets-count"]').text()).toBe('202 tickets')
    expect(page.find('[data-testid="tickets-count-changed"]').exists()).toBe(false)
    expect(page.text()).toContain('Status: open')
  })

  it('says so when the list no longer matches the figure clicked, and when nothing matches', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => respond({ items: [], next_cursor: null })))
    const page = await open(`/tickets?filter=${encodeURIComponent('{"priority":["urgent"]}')}&count=3`)
    expect(page.get('[data-testid="tickets-count"]').text()).toBe('0 tickets')
    expect(page.find('[data-testid="tickets-empty"]').exists()).toBe(true)
    expect(page.find('[data-testid="tickets-count-changed"]').exists()).toBe(true)
  })

  it('refuses a filter it cannot read', async () => {
    const fetchMock = vi.fn()
    vi.stubGlobal('fetch', fetchMock)
    const page = await open('/tickets?filter=%7Bnope')
    expect(page.find('[data-testid="tickets-bad-filter"]').exists()).toBe(true)
    expect(fetchMock).not.toHaveBeenCalled()
  })
})

describe('filter query', () => {
  it('parses and words a drill-down filter', () => {
    expect(filterFromQuery(undefined)).toEqual({})
    expect(filterFromQuery('[1]')).toBeNull()
    const filter = filterFromQuery('{"assignee_id":["none"],"created":{"from":"2026-11-01","to":null},"overdue":true,"q":""}')
    expect(filter).toEqual({ assignee_id: ['none'], created: { from: '2026-11-01' }, overdue: true })
    expect(describeFilter(filter!)).toEqual(['Assignee: nobody', 'Created: from 2026-11-01', 'Overdue only'])
  })
})
