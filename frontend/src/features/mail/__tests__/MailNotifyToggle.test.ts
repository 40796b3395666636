import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import MailNotifyToggle from '../MailNotifyToggle.vue'

afterEach(() => vi.unstubAllGlobals())

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
}

describe('mail notifications opt-in', () => {
  it('shows the stored choice, and turns it on with a PUT of the new value', async () => {
    const fetch = vi.fn(async (_url: string, init?: RequestInit) =>
      init?.method === 'PUT' ? json(JSON.parse(String(init.body))) : json({ notify_by_email: false }),
    )
    vi.stubGlobal('fetch', fetch)
    const toggle = mount(MailNotifyToggle)
    const button = toggle.get('[data-testid="menu-mail-notify"]')
    expect(button.attributes('disabled')).toBeDefined() // not known yet: no guess
    await flushPromises()
    expect(button.attributes('aria-checked')).toBe('false')
    await button.trigger('click')
    await flushPromises()
    const put = fetch.mock.calls.find(([, init]) => init?.method === 'PUT')
    expect(put?.[0]).toContain('/api/mail/preferences')
    expect(JSON.parse(String(put?.[1]?.body))).toEqual({ notify_by_email: true })
    expect(button.attributes('aria-checked')).toBe('true')
  })

  it('keeps the stored choice and says why when the server refuses', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async (_url: string, init?: RequestInit) =>
        init?.method === 'PUT' ? json({ detail: 'Not allowed' }, 403) : json({ notify_by_email: true }),
      ),
    )
    const toggle = mount(MailNotifyToggle)
    await flushPromises()
    await toggle.get('[data-testid="menu-mail-notify"]').trigger('click')
    await flushPromises()
    expect(toggle.get('[data-testid="menu-mail-notify"]').attributes('aria-checked')).toBe('true')
    expect(toggle.get('[data-testid="menu-mail-notify-error"]').text()).toContain('Not allowed')
  })
})
