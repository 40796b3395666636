import { afterEach, describe, expect, it, vi } from 'vitest'
import { enableAutoUnmount } from '@vue/test-utils'
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

// Each drawer listens on window: unmount them so an earlier test's drawer does not answer.
enableAutoUnmount(afterEach)

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

describe('ticket drawer as a modal dialog', () => {
  function tab(shift = false): KeyboardEvent {
    const event = new KeyboardEvent('keydown', { key: 'Tab', shiftKey: shift, bubbles: true, cancelable: true })
    ;(document.activeElement ?? document.body).dispatchEvent(event)
    return event
  }

  it('is a modal dialog named by the ticket title, focused on open', async () => {
    fakeApi(...routes())
    const { wrapper } = await mountWith(TicketDrawer, { props: {}, path: '/?ticket=3' })
    await vi.waitFor(() => expect(wrapper.find('[data-testid="ticket-title"]').exists()).toBe(true), { timeout: 5000 })
    const drawer = wrapper.find('[data-testid="ticket-drawer"]').element as HTMLElement
    expect(drawer.getAttribute('role')).toBe('dialog')
    expect(drawer.getAttribute('aria-modal')).toBe('true')
    const title = document.getElementById(drawer.getAttribute('aria-labelledby') ?? '')
    expect(title?.textContent).toContain('Drawer ticket')
    expect(drawer.contains(document.activeElement)).toBe(true)
  })

  it('keeps Tab inside while open, both ways, and brings outside focus back in', async () => {
    fakeApi(...routes())
    const outside = document.createElement('button')
    outside.textContent = 'Header button'
    document.body.appendChild(outside)
    const { wrapper } = await mountWith(TicketDrawer, { props: {}, path: '/?ticket=3' })
    await vi.waitFor(() => expect(wrapper.find('[data-testid="reply-body"]').exists()).toBe(true), { timeout: 5000 })
    const drawer = wrapper.find('[data-testid="ticket-drawer"]').element as HTMLElement
    const close = wrapper.find('[data-testid="ticket-drawer-close"]').element as HTMLElement
    const { tabbables } = await import('@/shared/focusTrap')
    const items = tabbables(drawer)
    expect(items.length).toBeGreaterThan(2)
    const first = items[0]!
    const last = items[items.length - 1]!
    // The history panel is hidden (v-show): nothing in it is counted.
    expect(items.some((item) => item.closest('[role="tabpanel"]')?.getAttribute('style')?.includes('display: none'))).toBe(false)

    // From the panel itself Tab goes to the first control, Shift+Tab to the last.
    drawer.focus()
    expect(tab().defaultPrevented).toBe(true)
    expect(document.activeElement).toBe(first)
    drawer.focus()
    tab(true)
    expect(document.activeElement).toBe(last)

    // Wrap at both ends.
    last.focus()
    tab()
    expect(document.activeElement).toBe(first)
    first.focus()
    tab(true)
    expect(document.activeElement).toBe(last)

    // In the middle the browser moves focus (not prevented).
    items[1]!.focus()
    expect(tab().defaultPrevented).toBe(false)

    // Focus that went out (a click on the header) comes back in on the next Tab.
    outside.focus()
    tab()
    expect(document.activeElement).toBe(first)
    expect(drawer.contains(close)).toBe(true)
  })

  it('returns focus to the opener when Escape closes it', async () => {
    fakeApi(...routes())
    const opener = document.createElement('button')
    opener.textContent = 'Open ticket 3'
    document.body.appendChild(opener)
    const { wrapper, router } = await mountWith(TicketDrawer, { props: {} })
    opener.focus()
    await router.push('/?ticket=3')
    await settle()
    const drawer = wrapper.find('[data-testid="ticket-drawer"]').element as HTMLElement
    expect(drawer.contains(document.activeElement)).toBe(true)
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }))
    await settle()
    expect(wrapper.find('[data-testid="ticket-drawer"]').exists()).toBe(false)
    expect(document.activeElement).toBe(opener)
  })

  it('returns focus to an opener that marks the ticket open before the route changes (useTicketOpener)', async () => {
    fakeApi(...routes())
    const row = document.createElement('a')
    row.href = '?ticket=3'
    row.textContent = 'Ticket 3'
    document.body.appendChild(row)
    const { wrapper, router } = await mountWith(TicketDrawer, { props: {} })
    row.focus()
    useOpenTicketStore().show(3) // what open() does first
    await router.push('/?ticket=3')
    await settle()
    expect((wrapper.find('[data-testid="ticket-drawer"]').element as HTMLElement).contains(document.activeElement)).toBe(true)
    await wrapper.find('[data-testid="ticket-drawer-close"]').trigger('click')
    await settle()
    expect(document.activeElement).toBe(row)
  })

  it('does not touch Tab once closed', async () => {
    fakeApi(...routes())
    await mountWith(TicketDrawer, { props: {} })
    const button = document.createElement('button')
    document.body.appendChild(button)
    button.focus()
    expect(tab().defaultPrevented).toBe(false)
  })
})
