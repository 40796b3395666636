import { afterEach, describe, expect, it, vi } from 'vitest'
import NewTicket from '../Widget.vue'
import { validateDraft } from '../validate'
import { answer, fakeApi, flushPromises, mountWith, ticket } from '@/features/tickets/__tests__/harness'

vi.mock('@/realtime/useServerEvents', () => import('@/features/tickets/__tests__/serverEventsMock'))

afterEach(() => {
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

describe('new-ticket validation', () => {
  it('applies the server limits', () => {
    expect(validateDraft({ title: ' ', description: '', priority: 'normal', tagsText: '' })).toHaveProperty('title')
    expect(validateDraft({ title: 'x'.repeat(201), description: '', priority: 'normal', tagsText: '' }).title).toContain('200')
    expect(validateDraft({ title: 'ok', description: 'x'.repeat(50_001), priority: 'normal', tagsText: '' })).toHaveProperty('description')
    expect(validateDraft({ title: 'ok', description: '', priority: 'asap', tagsText: '' })).toHaveProperty('priority')
    expect(validateDraft({ title: 'ok', description: '', priority: 'high', tagsText: 'x'.repeat(41) })).toHaveProperty('tags')
    expect(validateDraft({ title: 'ok', description: 'x'.repeat(50_000), priority: 'urgent', tagsText: 'a, b' })).toEqual({})
  })
})

describe('new-ticket widget', () => {
  it('does not send an invalid form and marks the field', async () => {
    const { calls } = fakeApi()
    const { wrapper } = await mountWith(NewTicket, { role: 'user' })
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(calls).toHaveLength(0)
    const title = wrapper.find('[data-testid="new-ticket-title"]')
    expect(title.attributes('aria-invalid')).toBe('true')
    expect(wrapper.text()).toContain('A title is required')
  })

  it('creates the ticket, confirms and opens it', async () => {
    const { calls } = fakeApi(answer('POST', '/api/tickets', () => ({ status: 201, body: ticket(42, { number: 1042 }) })))
    const { wrapper, router } = await mountWith(NewTicket, { role: 'user', settings: { default_priority: 'high', default_tags: ['vpn'] } })
    await wrapper.find('[data-testid="new-ticket-title"]').setValue('  VPN is down ')
    await wrapper.find('[data-testid="new-ticket-tags"]').setValue('VPN, Urgent, vpn')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(calls[0]!.body).toEqual({ title: 'VPN is down', description: '', priority: 'high', tags: ['vpn', 'urgent'] })
    expect(wrapper.find('[data-testid="new-ticket-created"]').text()).toContain('#1042')
    expect(router.currentRoute.value.query.ticket).toBe('42')
    expect((wrapper.find('[data-testid="new-ticket-title"]').element as HTMLInputElement).value).toBe('')
  })

  it("shows the server's 422 field errors", async () => {
    fakeApi(
      answer('POST', '/api/tickets', () => ({
        status: 422,
        body: { detail: [{ loc: ['body', 'title'], msg: 'must not be blank', type: 'value_error' }] },
      })),
    )
    const { wrapper } = await mountWith(NewTicket, { role: 'user' })
    await wrapper.find('[data-testid="new-ticket-title"]').setValue('\u200b')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(wrapper.find('[role="alert"]').text()).toContain('did not accept')
    expect(wrapper.text()).toContain('must not be blank')
    expect(wrapper.find('[data-testid="new-ticket-title"]').attributes('aria-invalid')).toBe('true')
  })

  it('shows other failures, and nothing to a guest', async () => {
    fakeApi(answer('POST', '/api/tickets', () => ({ status: 500, body: { detail: 'Server exploded' } })))
    const { wrapper } = await mountWith(NewTicket, { role: 'user' })
    await wrapper.find('[data-testid="new-ticket-title"]').setValue('Printer')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(wrapper.find('[role="alert"]').text()).toContain('Server exploded')
    wrapper.unmount()
    const guest = await mountWith(NewTicket, { role: 'guest' })
    expect(guest.wrapper.find('form').exists()).toBe(false)
  })
})
