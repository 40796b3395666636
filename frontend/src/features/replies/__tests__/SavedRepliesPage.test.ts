import { afterEach, describe, expect, it, vi } from 'vitest'
import SavedRepliesPage from '../SavedRepliesPage.vue'
import { answer, fakeApi, flushPromises, mountWith, type Call } from '@/features/tickets/__tests__/harness'

const REPLY = {
  id: 4,
  title: 'Welcome',
  body: 'Hi {{ requester.name }}',
  scope: 'team',
  team_id: 3,
  owner_id: 7,
  usage_count: 6,
  last_used_at: null,
  created_at: '2026-12-01T10:00:00Z',
  updated_at: '2026-12-01T10:00:00Z',
  can_edit: true,
}

function routes() {
  return [
    answer('GET', '/api/saved-replies', () => ({ status: 200, body: [REPLY] })),
    answer('GET', '/api/teams', () => ({ status: 200, body: [{ id: 3, name: 'Billing', member_ids: [7] }] })),
    answer('POST', '/api/saved-replies', (call: Call) => ({ status: 201, body: { ...REPLY, ...(call.body as object), id: 5 } })),
  ]
}

afterEach(() => {
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

describe('saved replies page', () => {
  it('lists replies with scope, team and usage; only admins are offered global ones', async () => {
    fakeApi(...routes())
    const agent = await mountWith(SavedRepliesPage, { props: {}, role: 'agent' })
    const item = agent.wrapper.find('[data-testid="saved-reply-4"]')
    expect(item.text()).toContain('Welcome')
    expect(item.text()).toContain('Team · Billing')
    expect(item.text()).toContain('used 6×')
    const scopes = () => agent.wrapper.findAll('[data-testid="saved-reply-scope"] option').map((o) => o.attributes('value'))
    expect(scopes()).toEqual(['personal', 'team'])
    agent.wrapper.unmount()
    fakeApi(...routes())
    const admin = await mountWith(SavedRepliesPage, { props: {}, role: 'admin' })
    expect(admin.wrapper.findAll('[data-testid="saved-reply-scope"] option').map((o) => o.attributes('value'))).toEqual([
      'personal',
      'team',
      'global',
    ])
  })

  it('adds a team reply and shows a template error next to the text', async () => {
    const { calls } = fakeApi(...routes())
    const { wrapper } = await mountWith(SavedRepliesPage, { props: {}, role: 'agent' })
    await wrapper.find('[data-testid="saved-reply-title"]').setValue('Closing')
    await wrapper.find('[data-testid="saved-reply-body"]').setValue('Bye {{ agent.name }}')
    await wrapper.find('[data-testid="saved-reply-scope"]').setValue('team')
    await wrapper.find('[data-testid="saved-reply-team"]').setValue(3)
    await wrapper.find('[data-testid="saved-reply-form"]').trigger('submit')
    await flushPromises()
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ title: 'Closing', body: 'Bye {{ agent.name }}', scope: 'team', team_id: 3 })
    expect(wrapper.find('[role="status"]').text()).toBe('Saved reply added')

    wrapper.unmount()
    fakeApi(
      ...routes().slice(0, 2),
      answer('POST', '/api/saved-replies', () => ({
        status: 422,
        body: { detail: [{ loc: ['body', 'body'], msg: 'line 2: unknown variable ticket.nope', type: 'template' }] },
      })),
    )
    const again = await mountWith(SavedRepliesPage, { props: {}, role: 'agent' })
    await again.wrapper.find('[data-testid="saved-reply-title"]').setValue('Bad')
    await again.wrapper.find('[data-testid="saved-reply-body"]').setValue('x\n{{ ticket.nope }}')
    await again.wrapper.find('[data-testid="saved-reply-form"]').trigger('submit')
    await flushPromises()
    expect(again.wrapper.find('[role="alert"]').text()).toBe('line 2: unknown variable ticket.nope')
  })
})
