import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { enableAutoUnmount } from '@vue/test-utils'
import TicketList from '../Widget.vue'
import { resetStaffCache } from '@/features/tickets/api'
import { listViews, resetViews, viewLabel } from '../view'
import { resetEvents } from '@/features/tickets/__tests__/serverEventsMock'
import { answer, fakeApi, flushPromises, mountWidget, person, ticket } from '@/features/tickets/__tests__/harness'

vi.mock('@/realtime/useServerEvents', () => import('@/features/tickets/__tests__/serverEventsMock'))

const staff = answer('GET', '/api/users', () => ({ status: 200, body: { items: [{ ...person(7, 'Alex Agent'), role: 'agent' }], next_cursor: null } }))
const tickets = answer('GET', '/api/tickets', () => ({ status: 200, body: { items: [ticket(1)], next_cursor: null } }))

function created(call: { body: unknown }) {
  const body = call.body as Record<string, unknown>
  return { status: 201, body: { id: 12, owner: { id: 7, name: 'Alex Agent' }, editable: true, ...body } }
}

enableAutoUnmount(afterEach)
beforeEach(() => {
  resetEvents()
  resetStaffCache()
  resetViews()
})
afterEach(() => {
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

describe('ticket-list "Save as view"', () => {
  it('saves the list as shown (filter, columns, sort) as a shared view for an agent', async () => {
    const { calls } = fakeApi(staff, tickets, answer('POST', '/api/views', created))
    const { wrapper } = await mountWidget(TicketList, {
      title: 'Urgent queue',
      filters: { priority: ['urgent'] },
      columns: ['number', 'title', 'priority'],
      sort: 'due_at',
    })
    const toggle = wrapper.find('[data-testid="ticket-save-view-w1"]')
    expect(toggle.attributes('aria-expanded')).toBe('false')
    await toggle.trigger('click')
    expect(toggle.attributes('aria-expanded')).toBe('true')
    const name = wrapper.find<HTMLInputElement>('[data-testid="ticket-save-view-name-w1"]')
    expect(name.element.value).toBe('Urgent queue')
    await name.setValue('  Urgent, mine  ')
    await wrapper.find('[data-testid="ticket-save-view-shared-w1"]').setValue(true)
    await wrapper.find('[data-testid="ticket-save-view-form-w1"]').trigger('submit')
    await flushPromises()

    const post = calls.find((call) => call.method === 'POST')
    expect(post?.body).toEqual({
      name: 'Urgent, mine',
      filter: { priority: ['urgent'] },
      columns: ['number', 'title', 'priority'],
      sort: 'due_at',
      shared: true,
    })
    expect(wrapper.find('[data-testid="ticket-save-view-form-w1"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="ticket-save-view-done-w1"]').text()).toContain('Urgent, mine')
    expect(document.activeElement).toBe(toggle.element)
  })

  it('offers no sharing to a requester and saves a personal view', async () => {
    const { calls } = fakeApi(tickets, answer('POST', '/api/views', created))
    const { wrapper } = await mountWidget(TicketList, {}, { role: 'user' })
    await wrapper.find('[data-testid="ticket-save-view-w1"]').trigger('click')
    expect(wrapper.find('[data-testid="ticket-save-view-shared-w1"]').exists()).toBe(false)
    await wrapper.find('[data-testid="ticket-save-view-name-w1"]').setValue('Mine')
    await wrapper.find('[data-testid="ticket-save-view-form-w1"]').trigger('submit')
    await flushPromises()
    expect((calls.find((call) => call.method === 'POST')?.body as { shared: boolean }).shared).toBe(false)
  })

  it('is not offered to a guest', async () => {
    fakeApi(tickets)
    const { wrapper } = await mountWidget(TicketList, {}, { role: 'guest' })
    expect(wrapper.find('[data-testid="ticket-save-view-w1"]').exists()).toBe(false)
  })

  it('asks for a name, shows the server refusal, and Escape cancels', async () => {
    const { calls } = fakeApi(
      staff,
      tickets,
      answer('POST', '/api/views', () => ({ status: 422, body: { detail: [{ loc: ['body'], msg: 'You already have 100 views: delete one first' }] } })),
    )
    const { wrapper } = await mountWidget(TicketList)
    await wrapper.find('[data-testid="ticket-save-view-w1"]').trigger('click')
    await wrapper.find('[data-testid="ticket-save-view-name-w1"]').setValue('   ')
    await wrapper.find('[data-testid="ticket-save-view-form-w1"]').trigger('submit')
    expect(wrapper.find('[data-testid="ticket-save-view-form-w1"] [role="alert"]').text()).toContain('name')
    expect(calls.some((call) => call.method === 'POST')).toBe(false)

    await wrapper.find('[data-testid="ticket-save-view-name-w1"]').setValue('Too many')
    await wrapper.find('[data-testid="ticket-save-view-form-w1"]').trigger('submit')
    await flushPromises()
    expect(wrapper.find('[data-testid="ticket-save-view-form-w1"] [role="alert"]').text()).toContain('100 views')

    await wrapper.find('[data-testid="ticket-save-view-name-w1"]').trigger('keydown', { key: 'Escape' })
    expect(wrapper.find('[data-testid="ticket-save-view-form-w1"]').exists()).toBe(false)
  })

  it('a saved view is listed at once (the cached list is dropped)', async () => {
    let stored: unknown[] = []
    fakeApi(
      staff,
      tickets,
      answer('GET', '/api/views', () => ({ status: 200, body: stored })),
      answer('POST', '/api/views', (call) => {
        const reply = created(call)
        stored = [reply.body]
        return reply
      }),
    )
    expect(await listViews()).toEqual([])
    const { wrapper } = await mountWidget(TicketList)
    await wrapper.find('[data-testid="ticket-save-view-w1"]').trigger('click')
    await wrapper.find('[data-testid="ticket-save-view-name-w1"]').setValue('Fresh')
    await wrapper.find('[data-testid="ticket-save-view-form-w1"]').trigger('submit')
    await flushPromises()
    expect((await listViews()).map((view) => view.name)).toEqual(['Fresh'])
  })
})

describe('viewLabel', () => {
  const base = { id: 1, name: 'Queue', filter: {}, columns: ['number'], sort: '-updated_at' }
  it('names shared views and whose they are', () => {
    expect(viewLabel(base, 7)).toBe('Queue')
    expect(viewLabel({ ...base, shared: true, owner: { id: 7, name: 'Me' } }, 7)).toBe('Queue (shared)')
    expect(viewLabel({ ...base, shared: true, owner: { id: 3, name: 'Sam' } }, 7)).toBe('Queue (shared by Sam)')
  })
})
