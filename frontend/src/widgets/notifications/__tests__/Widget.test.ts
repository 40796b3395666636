import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import Notifications from '../Widget.vue'
import { pushEvent, resetEvents } from '@/features/tickets/__tests__/serverEventsMock'
import { answer, fakeApi, flushPromises, mountWith, never } from '@/features/tickets/__tests__/harness'

vi.mock('@/realtime/useServerEvents', () => import('@/features/tickets/__tests__/serverEventsMock'))

function note(id: number, extra: Record<string, unknown> = {}) {
  return {
    id,
    kind: 'assigned',
    ticket_id: 10 + id,
    actor_id: 2,
    title: `Notification ${id}`,
    summary: 'Something happened',
    read_at: null,
    created_at: new Date().toISOString(),
    ...extra,
  }
}

beforeEach(() => resetEvents())
afterEach(() => {
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

describe('notifications widget', () => {
  it('shows loading, empty and error states', async () => {
    fakeApi(answer('GET', '/api/notifications', never))
    const loading = await mountWith(Notifications)
    expect(loading.wrapper.find('[role="status"]').text()).toContain('Loading')
    loading.wrapper.unmount()

    fakeApi(answer('GET', '/api/notifications', () => ({ status: 200, body: { items: [], next_cursor: null, unread_count: 0 } })))
    const empty = await mountWith(Notifications)
    expect(empty.wrapper.find('[data-testid="notifications-empty"]').exists()).toBe(true)
    empty.wrapper.unmount()

    fakeApi(answer('GET', '/api/notifications', () => ({ status: 503, body: { detail: 'Try later' } })))
    const failed = await mountWith(Notifications)
    expect(failed.wrapper.find('[role="alert"]').text()).toContain('Try later')
  })

  it('shows the unread count, marks one read and opens its ticket', async () => {
    const { calls } = fakeApi(
      answer('GET', '/api/notifications', () => ({
        status: 200,
        body: { items: [note(1), note(2, { read_at: '2026-11-20T00:00:00Z' })], next_cursor: null, unread_count: 1 },
      })),
      answer('POST', '/api/notifications/1/read', () => ({ status: 200, body: note(1, { read_at: '2026-11-21T00:00:00Z' }) })),
    )
    const { wrapper, router } = await mountWith(Notifications, { settings: { limit: 10 } })
    expect(calls[0]!.query.get('limit')).toBe('10')
    expect(wrapper.find('[data-testid="notifications-unread"]').text()).toContain('1')
    expect(wrapper.find('[data-testid="notification-1"]').classes()).toContain('unread')
    await wrapper.find('[data-testid="notification-1"] .item').trigger('click')
    await flushPromises()
    expect(calls.some((c) => c.method === 'POST' && c.path === '/api/notifications/1/read')).toBe(true)
    expect(wrapper.find('[data-testid="notification-1"]').classes()).not.toContain('unread')
    expect(wrapper.find('[data-testid="notifications-unread"]').text()).toContain('0')
    expect(router.currentRoute.value.query.ticket).toBe('11')
  })

  it('marks all read', async () => {
    fakeApi(
      answer('GET', '/api/notifications', () => ({ status: 200, body: { items: [note(1), note(2)], next_cursor: null, unread_count: 2 } })),
      answer('POST', '/api/notifications/read-all', () => ({ status: 200, body: { marked: 2, unread_count: 0 } })),
    )
    const { wrapper } = await mountWith(Notifications)
    await wrapper.find('[data-testid="notifications-read-all"]').trigger('click')
    await flushPromises()
    expect(wrapper.findAll('li.unread')).toHaveLength(0)
    expect(wrapper.find('[data-testid="notifications-read-all"]').exists()).toBe(false)
  })

  it('offers a guest no mark-read controls, and opening one sends no write', async () => {
    const { calls } = fakeApi(
      answer('GET', '/api/notifications', () => ({ status: 200, body: { items: [note(1)], next_cursor: null, unread_count: 1 } })),
    )
    const { wrapper, router } = await mountWith(Notifications, { role: 'guest' })
    expect(wrapper.find('[data-testid="notifications-read-all"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="notification-read-1"]').exists()).toBe(false)
    await wrapper.find('[data-testid="notification-1"] .item').trigger('click')
    await flushPromises()
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(0)
    expect(router.currentRoute.value.query.ticket).toBe('11')
  })

  it('adds notifications pushed live and counts them unread', async () => {
    fakeApi(answer('GET', '/api/notifications', () => ({ status: 200, body: { items: [], next_cursor: null, unread_count: 0 } })))
    const { wrapper } = await mountWith(Notifications)
    pushEvent('notification', note(5, { title: 'Assigned to you: #1005' }))
    await flushPromises()
    expect(wrapper.find('[data-testid="notification-5"]').text()).toContain('Assigned to you: #1005')
    expect(wrapper.find('[data-testid="notifications-unread"]').text()).toContain('1')
  })
})
