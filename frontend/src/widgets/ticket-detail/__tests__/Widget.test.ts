import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import TicketDetailWidget from '../Widget.vue'
import { resetStaffCache } from '@/features/tickets/api'
import { useOpenTicketStore } from '@/features/tickets/openTicket'
import { pushEvent, resetEvents } from '@/features/tickets/__tests__/serverEventsMock'
import { answer, fakeApi, flushPromises, mountWith, never, person, ticket } from '@/features/tickets/__tests__/harness'

vi.mock('@/realtime/useServerEvents', () => import('@/features/tickets/__tests__/serverEventsMock'))

const staff = answer('GET', '/api/users', () => ({ status: 200, body: { items: [{ ...person(7, 'Alex Agent'), role: 'agent' }], next_cursor: null } }))
const comments = [
  { id: 1, ticket_id: 1, author: person(50, 'Rita Requester'), body: 'My printer is on fire', internal: false, created_at: '2026-11-20T10:00:00Z' },
  { id: 2, ticket_id: 1, author: person(7, 'Alex Agent'), body: 'Requester is a VIP', internal: true, created_at: '2026-11-20T11:00:00Z' },
]
const history = [{ id: 9, field: 'status', from: 'new', to: 'open', actor: person(7, 'Alex Agent'), at: '2026-11-20T11:00:00Z' }]

function ticketRoutes(current = () => ticket(1, { version: 2, description: '**Bold** text' })) {
  return [
    staff,
    answer('GET', '/api/tickets/1', () => ({ status: 200, body: current() })),
    answer('GET', '/api/tickets/1/comments', () => ({ status: 200, body: comments })),
    answer('GET', '/api/tickets/1/history', () => ({ status: 200, body: history })),
  ]
}

beforeEach(() => {
  resetEvents()
  resetStaffCache()
})
afterEach(() => {
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

describe('ticket-detail widget', () => {
  it('says so when no ticket is selected', async () => {
    fakeApi()
    const { wrapper } = await mountWith(TicketDetailWidget, { settings: {} })
    expect(wrapper.find('[data-testid="ticket-detail-empty"]').exists()).toBe(true)
  })

  it('shows loading, then the ticket, its conversation (internal note marked) and history', async () => {
    fakeApi(staff, answer('GET', /^\/api\/tickets\/1/, never))
    const loading = await mountWith(TicketDetailWidget, { settings: { ticket_id: 1 } })
    expect(loading.wrapper.find('[role="status"]').text()).toContain('Loading')
    loading.wrapper.unmount()

    fakeApi(...ticketRoutes())
    const { wrapper } = await mountWith(TicketDetailWidget, { settings: { ticket_id: 1 } })
    expect(wrapper.find('[data-testid="ticket-title"]').text()).toContain('Ticket 1')
    expect(wrapper.find('.description').html()).toContain('<strong>Bold</strong>')
    expect(wrapper.find('[data-testid="comment-2"]').attributes('data-internal')).toBe('true')
    expect(wrapper.find('[data-testid="comment-2"]').text()).toContain('Internal note')
    expect(wrapper.find('[data-testid="comment-1"]').text()).not.toContain('Internal note')
    expect(wrapper.find('[data-testid="history-9"]').text()).toMatch(/Alex Agent\s+changed status\s+from new\s+to open/)
  })

  it('follows the ticket last opened', async () => {
    fakeApi(...ticketRoutes())
    const { wrapper } = await mountWith(TicketDetailWidget, { settings: { follow_selection: true } })
    useOpenTicketStore().show(1)
    await flushPromises()
    expect(wrapper.find('[data-testid="ticket-title"]').text()).toContain('Ticket 1')
  })

  it('shows an error with a retry, and a missing ticket', async () => {
    fakeApi(staff, answer('GET', /^\/api\/tickets\/1/, () => ({ status: 500, body: { detail: 'Boom' } })))
    const failed = await mountWith(TicketDetailWidget, { settings: { ticket_id: 1 } })
    expect(failed.wrapper.find('[role="alert"]').text()).toContain('Boom')
    failed.wrapper.unmount()
    fakeApi(staff)
    const { wrapper } = await mountWith(TicketDetailWidget, { settings: { ticket_id: 1 } })
    expect(wrapper.find('[data-testid="ticket-missing"]').exists()).toBe(true)
  })

  it('saves a status with the version, and shows a 409 with the current ticket', async () => {
    let put = 0
    const { calls } = fakeApi(
      ...ticketRoutes(),
      answer('PUT', '/api/tickets/1', () =>
        ++put === 1
          ? { status: 409, body: { detail: 'stale', current: ticket(1, { version: 5, status: 'pending', title: 'Renamed' }) } }
          : { status: 200, body: ticket(1, { version: 6, status: 'resolved', title: 'Renamed' }) },
      ),
    )
    const { wrapper } = await mountWith(TicketDetailWidget, { settings: { ticket_id: 1 } })
    await wrapper.find('[data-testid="ticket-status"]').setValue('resolved')
    await flushPromises()
    expect(calls.find((c) => c.method === 'PUT')!.body).toEqual({ status: 'resolved', version: 2 })
    const conflict = wrapper.find('[data-testid="ticket-conflict"]')
    expect(conflict.text()).toContain('Someone else changed this ticket')
    expect(conflict.text()).toContain('status → resolved')
    expect(wrapper.find('[data-testid="ticket-title"]').text()).toContain('Renamed')
    expect((wrapper.find('[data-testid="ticket-status"]').element as HTMLSelectElement).value).toBe('pending')

    await wrapper.find('[data-testid="ticket-conflict-retry"]').trigger('click')
    await flushPromises()
    expect(calls.filter((c) => c.method === 'PUT').at(-1)!.body).toEqual({ status: 'resolved', version: 5 })
    expect(wrapper.find('[data-testid="ticket-conflict"]').exists()).toBe(false)
  })

  it('adds an internal note (agents)', async () => {
    const { calls } = fakeApi(
      ...ticketRoutes(),
      answer('POST', '/api/tickets/1/comments', (call) => ({
        status: 201,
        body: { id: 3, ticket_id: 1, author: person(7, 'Alex Agent'), body: (call.body as { body: string }).body, internal: true, created_at: '2026-11-21T00:00:00Z' },
      })),
    )
    const { wrapper } = await mountWith(TicketDetailWidget, { settings: { ticket_id: 1 } })
    await wrapper.find('[data-testid="reply-internal"]').setValue(true)
    await wrapper.find('[data-testid="reply-body"]').setValue('Checked the logs')
    await wrapper.find('form.reply').trigger('submit')
    await flushPromises()
    expect(calls.find((c) => c.method === 'POST')!.body).toEqual({ body: 'Checked the logs', internal: true })
    expect(wrapper.find('[role="status"]').text()).toContain('Internal note added')
  })

  it('offers no internal notes and no field edits to a requester', async () => {
    fakeApi(...ticketRoutes())
    const { wrapper } = await mountWith(TicketDetailWidget, { settings: { ticket_id: 1 }, role: 'user' })
    expect(wrapper.find('[data-testid="reply-internal"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="ticket-status"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="reply-body"]').exists()).toBe(true)
  })

  it('reloads when someone else changes the ticket', async () => {
    let title = 'Ticket 1'
    fakeApi(...ticketRoutes(() => ticket(1, { title })))
    const { wrapper } = await mountWith(TicketDetailWidget, { settings: { ticket_id: 1 } })
    title = 'Changed elsewhere'
    vi.useFakeTimers()
    pushEvent('ticket.updated', { id: 1 })
    await vi.advanceTimersByTimeAsync(400)
    vi.useRealTimers()
    await flushPromises()
    expect(wrapper.find('[data-testid="ticket-title"]').text()).toContain('Changed elsewhere')
  })
})
