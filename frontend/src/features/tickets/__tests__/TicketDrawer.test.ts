import { afterEach, describe, expect, it, vi } from 'vitest'
import TicketDrawer from '../TicketDrawer.vue'
import { useOpenTicketStore } from '../openTicket'
import { answer, fakeApi, flushPromises, mountWith, ticket } from './harness'

vi.mock('@/realtime/useServerEvents', () => import('./serverEventsMock'))

function routes() {
  return [
    answer('GET', '/api/users', () => ({ status: 200, body: { items: [], next_cursor: null } })),
    answer('GET', '/api/tickets/3', () => ({ status: 200, body: ticket(3, { title: 'Drawer ticket' }) })),
    answer('GET', '/api/tickets/3/comments', () => ({ status: 200, body: [] })),
    answer('GET', '/api/tickets/3/history', () => ({ status: 200, body: [] })),
  ]
}

async function settle(): Promise<void> {
  // The detail is an async component: let its import and its requests finish.
  for (let i = 0; i < 5; i++) {
    await flushPromises()
    await new Promise((resolve) => setTimeout(resolve, 0))
  }
}

afterEach(() => {
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

describe('ticket drawer', () => {
  it('is closed without a ticket in the URL', async () => {
    fakeApi(...routes())
    const { wrapper } = await mountWith(TicketDrawer, { props: {} })
    expect(wrapper.find('[data-testid="ticket-drawer"]').exists()).toBe(false)
  })

  it('opens from /tickets/:id and from ?ticket=, and remembers the selection', async () => {
    fakeApi(...routes())
    const { wrapper, router } = await mountWith(TicketDrawer, { props: {}, path: '/tickets/3' })
    await vi.waitFor(() => expect(wrapper.find('[data-testid="ticket-title"]').text()).toContain('Drawer ticket'), { timeout: 5000 })
    await router.push('/?ticket=3')
    await settle()
    expect(wrapper.find('[data-testid="ticket-drawer"]').exists()).toBe(true)
    expect(useOpenTicketStore().selectedId).toBe(3)
  })

  it('closes with Escape and with its button, dropping the ticket from the URL', async () => {
    fakeApi(...routes())
    const { wrapper, router } = await mountWith(TicketDrawer, { props: {}, path: '/?ticket=3' })
    await settle()
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }))
    await settle()
    expect(router.currentRoute.value.query.ticket).toBeUndefined()
    expect(wrapper.find('[data-testid="ticket-drawer"]').exists()).toBe(false)

    await router.push('/tickets/3')
    await settle()
    await wrapper.find('[data-testid="ticket-drawer-close"]').trigger('click')
    await settle()
    expect(router.currentRoute.value.name).toBe('dashboard')
    expect(useOpenTicketStore().openId).toBeNull()
  })
})
