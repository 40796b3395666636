import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import Activity from '../Widget.vue'
import { describeActivity } from '../describe'
import { pushEvent, resetEvents } from '@/features/tickets/__tests__/serverEventsMock'
import { answer, fakeApi, flushPromises, mountWith, never } from '@/features/tickets/__tests__/harness'

vi.mock('@/realtime/useServerEvents', () => import('@/features/tickets/__tests__/serverEventsMock'))

const ref1 = { id: 1, number: 1001, title: 'Printer' }
const items = [
  { kind: 'changed', at: '2026-11-21T10:00:00Z', actor: { id: 7, name: 'Alex Agent' }, ticket: ref1, field: 'status', from_value: 'open', to_value: 'pending' },
  { kind: 'note', at: '2026-11-21T09:00:00Z', actor: { id: 7, name: 'Alex Agent' }, ticket: ref1, excerpt: 'VIP' },
  { kind: 'created', at: '2026-11-21T08:00:00Z', actor: { id: 50, name: 'Rita' }, ticket: ref1 },
]

beforeEach(() => resetEvents())
afterEach(() => {
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

describe('activity widget', () => {
  it('words each kind of entry', () => {
    expect(describeActivity(items[0] as never)).toBe('changed status from open to pending')
    expect(describeActivity({ ...items[0], field: 'assignee_id', from_value: null, to_value: { id: 7, name: 'Alex' } } as never)).toBe(
      'changed assignee from none to Alex',
    )
    expect(describeActivity(items[1] as never)).toBe('added an internal note')
  })

  it('names people recorded by id once they are known', async () => {
    fakeApi(answer('GET', '/api/analytics/activity', () => ({ status: 200, body: { items: [{ ...items[0], field: 'assignee_id', from_value: null, to_value: 7 }] } })))
    const { wrapper } = await mountWith(Activity)
    expect(wrapper.find('li').text()).toContain('changed assignee from none to Alex Agent')
  })

  it('shows loading, empty and error states', async () => {
    fakeApi(answer('GET', '/api/analytics/activity', never))
    const loading = await mountWith(Activity)
    expect(loading.wrapper.find('[role="status"]').exists()).toBe(true)
    loading.wrapper.unmount()
    fakeApi(answer('GET', '/api/analytics/activity', () => ({ status: 200, body: { items: [] } })))
    const empty = await mountWith(Activity)
    expect(empty.wrapper.find('[data-testid="activity-empty"]').exists()).toBe(true)
    empty.wrapper.unmount()
    fakeApi(answer('GET', '/api/analytics/activity', () => ({ status: 500, body: { detail: 'Nope' } })))
    const failed = await mountWith(Activity)
    expect(failed.wrapper.find('[role="alert"]').text()).toContain('Nope')
  })

  it('lists the entries with their filter and limit, opens a ticket, and reloads on ticket events', async () => {
    let shown = items.slice(1)
    const { calls } = fakeApi(answer('GET', '/api/analytics/activity', () => ({ status: 200, body: { items: shown } })))
    const { wrapper, router } = await mountWith(Activity, { settings: { limit: 5, filters: { status: ['open'] } } })
    expect(calls[0]!.query.get('limit')).toBe('5')
    expect(JSON.parse(calls[0]!.query.get('filter')!)).toEqual({ status: ['open'] })
    expect(wrapper.findAll('li')).toHaveLength(2)
    expect(wrapper.find('li.note').text()).toContain('Internal')
    shown = items
    pushEvent('ticket.updated', { id: 1 })
    await flushPromises()
    expect(wrapper.findAll('li')).toHaveLength(3)
    await wrapper.find('a.ticket').trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.query.ticket).toBe('1')
  })
})
