import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import ReplyForm from '@/features/tickets/ReplyForm.vue'
import { answer, fakeApi, flushPromises, mountWith, type Call } from '@/features/tickets/__tests__/harness'

function saved(id: number, title: string, extra: Record<string, unknown> = {}) {
  return {
    id,
    title,
    body: `Body of ${title}\nsecond line`,
    scope: 'personal',
    team_id: null,
    owner_id: 7,
    usage_count: 0,
    last_used_at: null,
    created_at: '2026-12-01T10:00:00Z',
    updated_at: '2026-12-01T10:00:00Z',
    can_edit: true,
    ...extra,
  }
}

const REPLIES = [
  saved(1, 'Printer reset', { scope: 'global', usage_count: 5, can_edit: false }),
  saved(2, 'Thanks', { scope: 'team', team_id: 3, usage_count: 2 }),
  saved(3, 'Password help'),
]

function routes() {
  return [
    answer('GET', '/api/saved-replies', () => ({ status: 200, body: REPLIES })),
    answer('POST', /^\/api\/saved-replies\/\d+\/render$/, (call: Call) => ({
      status: 200,
      body: { body: `Rendered ${call.path.split('/')[3]} for #${(call.body as { ticket_id: number }).ticket_id}` },
    })),
    answer('POST', '/api/saved-replies', (call: Call) => ({ status: 201, body: saved(9, (call.body as { title: string }).title) })),
  ]
}

async function mountForm(role: 'agent' | 'user' = 'agent') {
  const send = vi.fn(async () => undefined)
  const { wrapper } = await mountWith(ReplyForm, { props: { idPrefix: 't', send, ticketId: 42 }, role })
  const area = wrapper.find('textarea')
  const element = area.element as HTMLTextAreaElement
  async function type(text: string, cursor = text.length) {
    await area.setValue(text)
    element.setSelectionRange(cursor, cursor)
    await area.trigger('input')
    await flushPromises()
  }
  async function key(name: string) {
    await area.trigger('keydown', { key: name })
    await flushPromises()
  }
  return { wrapper, area, element, type, key, send }
}

beforeEach(() => {
  document.body.innerHTML = ''
})
afterEach(() => {
  vi.unstubAllGlobals()
})

describe('saved reply picker', () => {
  it('opens on "/" with every reply, its scope and usage, as a listbox the editor controls', async () => {
    fakeApi(...routes())
    const { wrapper, area, type } = await mountForm()
    expect(wrapper.find('[data-testid="reply-picker"]').exists()).toBe(false)
    await type('/')
    const options = wrapper.findAll('[role="option"]')
    // No "save current text" option: there is no text to save.
    expect(options.map((o) => o.find('.title').text())).toEqual(['Printer reset', 'Thanks', 'Password help'])
    expect(options[0]!.find('.badge').text()).toBe('Global')
    expect(options[1]!.find('.badge').text()).toBe('Team')
    expect(options[0]!.find('.usage').text()).toBe('used 5×')
    expect(area.attributes('aria-expanded')).toBe('true')
    expect(area.attributes('aria-controls')).toBe('t-saved-replies-list')
    expect(area.attributes('aria-activedescendant')).toBe('t-saved-replies-opt-0')
    expect(options[0]!.attributes('aria-selected')).toBe('true')
  })

  it('filters as you type, moves with the arrow keys and inserts the rendered reply on Enter', async () => {
    const { calls } = fakeApi(...routes())
    const { wrapper, area, element, type, key } = await mountForm()
    await type('Hello\n/pa')
    expect(wrapper.findAll('[role="option"] .title').map((o) => o.text())).toEqual(['Password help'])
    await type('Hello\n/')
    await key('ArrowDown')
    expect(area.attributes('aria-activedescendant')).toBe('t-saved-replies-opt-1')
    await key('ArrowUp')
    await key('ArrowUp') // wraps round to the last option ("save current text")
    expect(wrapper.find('#t-saved-replies-opt-3').attributes('data-testid')).toBe('reply-save-current')
    expect(area.attributes('aria-activedescendant')).toBe('t-saved-replies-opt-3')
    await key('ArrowDown') // and back to the first
    await key('ArrowDown')
    await key('Enter')
    expect(calls.find((c) => c.method === 'POST')).toMatchObject({ path: '/api/saved-replies/2/render', body: { ticket_id: 42 } })
    expect(element.value).toBe('Hello\nRendered 2 for #42')
    expect(element.selectionStart).toBe(element.value.length)
    expect(wrapper.find('[data-testid="reply-picker"]').exists()).toBe(false)
    expect(area.attributes('aria-expanded')).toBe('false')
  })

  it('inserts a reply clicked with the mouse, at the cursor', async () => {
    fakeApi(...routes())
    const { wrapper, element, type } = await mountForm()
    await type('Hi\n/\nBye', 4)
    await wrapper.find('[data-testid="reply-option-3"]').trigger('click')
    await flushPromises()
    expect(element.value).toBe('Hi\nRendered 3 for #42\nBye')
  })

  it('closes on Escape and stays closed for that "/" until another is typed', async () => {
    fakeApi(...routes())
    const { wrapper, type, key, send } = await mountForm()
    await type('/usr/bin')
    await key('Escape')
    expect(wrapper.find('[data-testid="reply-picker"]').exists()).toBe(false)
    await type('/usr/bin/x')
    expect(wrapper.find('[data-testid="reply-picker"]').exists()).toBe(false)
    await key('Enter') // Enter goes to the editor again (a new line), nothing is sent
    expect(send).not.toHaveBeenCalled()
    await type('/usr/bin/x\n/')
    expect(wrapper.find('[data-testid="reply-picker"]').exists()).toBe(true)
  })

  it('saves the current text as a personal reply', async () => {
    const { calls } = fakeApi(...routes())
    const { wrapper, type, key, send } = await mountForm()
    await type('Dear {{ requester.name }},\nwe are on it.\n/Our promise')
    const save = wrapper.find('[data-testid="reply-save-current"]')
    expect(save.text()).toContain('Save current text as reply')
    for (let i = 0; i < 3; i++) await key('ArrowUp') // no reply matches the query: "save" is the only option
    await key('Enter')
    const title = wrapper.find('[data-testid="reply-save-title"]')
    expect((title.element as HTMLInputElement).value).toBe('Our promise')
    expect(document.activeElement).toBe(title.element)
    await title.trigger('keydown', { key: 'Enter' })
    await flushPromises()
    expect(send).not.toHaveBeenCalled()
    const post = calls.find((c) => c.method === 'POST' && c.path === '/api/saved-replies')
    expect(post?.body).toEqual({ title: 'Our promise', body: 'Dear {{ requester.name }},\nwe are on it.\n', scope: 'personal' })
    expect(wrapper.find('[data-testid="reply-picker"]').exists()).toBe(false)
  })

  it('shows why a reply could not be saved (a template error names its line)', async () => {
    fakeApi(
      answer('GET', '/api/saved-replies', () => ({ status: 200, body: [] })),
      answer('POST', '/api/saved-replies', () => ({
        status: 422,
        body: { detail: [{ loc: ['body', 'body'], msg: 'line 1: unknown variable ticket.nope', type: 'template' }] },
      })),
    )
    const { wrapper, type, key } = await mountForm()
    await type('{{ ticket.nope }}\n/x')
    expect(wrapper.text()).toContain('No saved reply matches “x”')
    await key('Enter')
    await wrapper.find('[data-testid="reply-save-submit"]').trigger('click')
    await flushPromises()
    expect(wrapper.find('[role="alert"]').text()).toBe('line 1: unknown variable ticket.nope')
  })

  it('is not offered to requesters', async () => {
    const { calls } = fakeApi(...routes())
    const { wrapper, area, type } = await mountForm('user')
    await type('/')
    expect(wrapper.find('[data-testid="reply-picker"]').exists()).toBe(false)
    expect(area.attributes('role')).toBeUndefined()
    expect(calls.filter((c) => c.path.startsWith('/api/saved-replies'))).toEqual([])
  })
})
