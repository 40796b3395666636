import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { bodyOf, draftOf, emptyDraft, since, type Mailbox } from '../api'
import MailboxForm from '../MailboxForm.vue'
import OutboxPanel from '../OutboxPanel.vue'

const box: Mailbox = {
  id: 4,
  name: 'Support',
  address: 'support@example.com',
  auth: 'password',
  imap: { host: 'imap.example.com', port: 993, security: 'ssl', username: 'support', folder: 'INBOX', password_set: true },
  smtp: { host: 'smtp.example.com', port: 587, security: 'starttls', username: 'support', password_set: true },
  poll_seconds: 60,
  enabled: true,
  inbound_token: 'mbx_x',
  last_poll: { at: null, ok: null, message: null, processed: 0, uidvalidity: null, last_uid: 0 },
  created_at: '2026-12-05T10:00:00Z',
  updated_at: '2026-12-05T10:00:00Z',
}

afterEach(() => vi.unstubAllGlobals())

describe('mailbox drafts', () => {
  it('leaves passwords out of the body when the fields are empty (the stored ones are kept)', () => {
    const body = bodyOf(draftOf(box))
    expect(body.imap).not.toHaveProperty('password')
    expect(body.smtp).not.toHaveProperty('password')
    expect(body.imap.host).toBe('imap.example.com')
  })

  it('sends a typed password and trims names', () => {
    const draft = { ...emptyDraft(), name: ' Help ', address: ' help@example.com ', imapPassword: 's3cret' }
    const body = bodyOf(draft)
    expect(body.name).toBe('Help')
    expect(body.address).toBe('help@example.com')
    expect(body.imap.password).toBe('s3cret')
    expect(body.auth).toBe('password')
  })

  it('says when a poll happened', () => {
    const now = Date.parse('2026-12-05T10:10:00Z')
    expect(since(null, now)).toBe('never')
    expect(since('2026-12-05T10:09:30Z', now)).toBe('30s ago')
    expect(since('2026-12-05T10:00:00Z', now)).toBe('10 min ago')
  })
})

describe('mailbox form', () => {
  it('submits the draft and shows "unchanged" in password fields when editing', async () => {
    const form = mount(MailboxForm, { props: { initial: draftOf(box), editing: true, busy: false, idPrefix: 't' } })
    expect(form.get('[data-testid="mailbox-imap-password"]').attributes('placeholder')).toBe('unchanged')
    await form.get('[data-testid="mailbox-name"]').setValue('Desk')
    await form.get('form').trigger('submit')
    const [[draft]] = form.emitted('submit') as unknown as [[{ name: string; imapPassword: string }]]
    expect(draft.name).toBe('Desk')
    expect(draft.imapPassword).toBe('')
  })
})

describe('outbox panel', () => {
  it('lists mails with their state', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () =>
        new Response(
          JSON.stringify([
            { id: 1, mailbox_id: 4, ticket_id: 2, kind: 'reply', to_address: 'a@example.com', subject: 'Re: [#2] x',
              message_id: '<m@x>', status: 'failed', attempts: 8, next_attempt_at: null, last_attempt_at: null,
              error: 'SMTPRecipientsRefused', created_at: '2026-12-05T10:00:00Z', sent_at: null },
          ]),
          { status: 200, headers: { 'Content-Type': 'application/json' } },
        ),
      ),
    )
    const panel = mount(OutboxPanel)
    await flushPromises()
    const row = panel.get('[data-testid="mail-outbox-1"]')
    expect(row.text()).toContain('SMTPRecipientsRefused')
    expect(row.get('[data-status]').attributes('data-status')).toBe('failed')
  })
})

describe('outbox panel filter', () => {
  it('asks for one state and says when there is none of it', async () => {
    const urls: string[] = []
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) => {
        urls.push(url)
        return new Response('[]', { status: 200, headers: { 'Content-Type': 'application/json' } })
      }),
    )
    const panel = mount(OutboxPanel)
    expect(panel.text()).toContain('Loading…')
    await flushPromises()
    expect(panel.get('[data-testid="mail-outbox-empty"]').text()).toBe('Nothing sent yet.')
    await panel.get('[data-testid="mail-outbox-status"]').setValue('failed')
    await flushPromises()
    expect(urls.at(-1)).toBe('/api/mail/outbox?status=failed')
    expect(panel.get('[data-testid="mail-outbox-empty"]').text()).toBe('No failed mails.')
    await panel.get('[data-testid="mail-outbox-status"]').setValue('')
    await flushPromises()
    expect(urls.at(-1)).toBe('/api/mail/outbox')
  })
})
