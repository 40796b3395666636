import { join } from 'node:path'
import { request as playwrightRequest } from '@playwright/test'
import { expect, test } from '../support/fixtures'

const shots = join(__dirname, '..', 'artifacts', 'screenshots')

// No IMAP or SMTP server in the journeys: the mailbox points at a closed loopback port, so the
// test button reports the refusal; mail arrives through the gateway endpoint with the token.
test('an admin adds a mailbox, tests it, and a mail gateway opens an email ticket that agents find by channel', async ({
  signIn,
  baseURL,
}) => {
  const page = await signIn('admin')
  await page.emulateMedia({ colorScheme: 'light' })
  await page.goto('/')
  await page.getByTestId('user-menu').click()
  await page.getByTestId('menu-mailboxes').click()
  await expect(page.getByTestId('mailboxes-page')).toBeVisible()

  const address = `help-${Date.now()}@example.com`
  await page.getByTestId('mailbox-name').fill('Help desk')
  await page.getByTestId('mailbox-address').fill(address)
  await page.getByTestId('mailbox-imap-host').fill('127.0.0.1')
  await page.getByTestId('mailbox-imap-port').fill('9')
  await page.getByTestId('mailbox-imap-security').selectOption('none')
  await page.getByTestId('mailbox-imap-username').fill('help')
  await page.getByTestId('mailbox-imap-password').fill('imap-secret-password')
  await page.getByTestId('mailbox-smtp-host').fill('127.0.0.1')
  await page.getByTestId('mailbox-smtp-port').fill('9')
  await page.getByTestId('mailbox-smtp-security').selectOption('none')
  await page.getByTestId('mailbox-save').click()

  const card = page.locator('li[data-testid^="mailbox-"]', { hasText: address })
  await expect(card).toBeVisible()
  await expect(page.getByTestId('mailbox-form').getByTestId('mailbox-imap-password')).toHaveValue('')
  await card.getByRole('button', { name: 'Test connection' }).click()
  const result = card.locator('[data-testid^="mailbox-test-result-"]')
  await expect(result).toContainText('IMAP: failed')
  await expect(result).toContainText('SMTP: failed')

  // The gateway: raw mail with the mailbox's token (shown under "Gateway token").
  const id = Number((await card.getAttribute('data-testid'))?.replace('mailbox-', ''))
  await card.getByText('Gateway token').click()
  const token = ((await card.locator('code').nth(1).textContent()) ?? '').replace('X-Deskboard-Inbound-Token: ', '')
  const gateway = await playwrightRequest.newContext({ baseURL })
  const raw = [
    'From: Ines Porter <ines.porter@example.net>',
    `To: ${address}`,
    'Subject: Projector in room 4 shows no picture',
    `Message-ID: <e2e-${Date.now()}@example.net>`,
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'The projector stays blue whatever we plug in.',
    '--b1',
    'Content-Type: text/plain; name="projector-menu.txt"',
    'Content-Disposition: attachment; filename="projector-menu.txt"',
    '',
    'Input: HDMI 2 / no signal',
    '--b1--',
    '',
  ].join('\r\n')
  const posted = await gateway.post(`/api/inbound/email/${id}`, {
    data: Buffer.from(raw),
    headers: { 'Content-Type': 'message/rfc822', 'X-Deskboard-Inbound-Token': token },
  })
  expect(posted.status()).toBe(202)
  const { status, ticket_id: ticketId } = (await posted.json()) as { status: string; ticket_id: number }
  expect(status).toBe('ticket_created')
  const broken = await gateway.post(`/api/inbound/email/${id}`, {
    data: Buffer.from('Subject: nobody\r\n\r\nno sender\r\n'),
    headers: { 'Content-Type': 'message/rfc822', 'X-Deskboard-Inbound-Token': token },
  })
  expect((await broken.json()).status).toBe('quarantined')
  await gateway.dispose()

  // The poll leader reads the new mailbox within seconds; the card shows how that went (the
  // IMAP port is closed, so: failed, with the reason).
  const lastPoll = page.getByTestId(`mailbox-last-poll-${id}`)
  await expect
    .poll(
      async () => {
        await page.reload()
        return lastPoll.getAttribute('data-ok')
      },
      { timeout: 30_000, intervals: [1_000, 2_000] },
    )
    .toBe('false')
  await expect(lastPoll).toContainText('failed')
  await expect(lastPoll).toContainText(/ago/)

  await page.getByTestId('mail-outbox-refresh').click()
  await expect(page.getByTestId('mail-outbox')).toContainText('received')
  // Narrowed to one state: nothing could be sent (the SMTP port is closed), and back to all.
  await page.getByTestId('mail-outbox-status').selectOption('sent')
  await expect(page.getByTestId('mail-outbox-empty')).toHaveText('No sent mails.')
  await page.getByTestId('mail-outbox-status').selectOption('')
  await expect(page.getByTestId('mail-outbox')).toContainText('received')
  await page.getByTestId('mail-quarantine-refresh').click()
  await expect(page.getByTestId('mail-quarantine')).toContainText('no sender address (From)')
  await page.screenshot({ path: join(shots, 'mailboxes-light.png'), fullPage: true })
  await page.emulateMedia({ colorScheme: 'dark' })
  await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'dark'))
  await page.screenshot({ path: join(shots, 'mailboxes-dark.png'), fullPage: true })

  // The ticket list narrowed to email, then the ticket with its channel and mail thread.
  await page.goto('/tickets')
  await page.getByTestId('tickets-channel').selectOption('email')
  await expect(page).toHaveURL(/channel/)
  await expect(page.getByRole('link', { name: /Projector in room 4/ })).toBeVisible()
  await expect(page.locator('tbody tr', { hasText: 'Projector in room 4' }).locator('td.col-channel')).toHaveText('Email')
  await page.screenshot({ path: join(shots, 'tickets-by-channel.png') })
  await page.getByTestId('tickets-channel').selectOption('web')
  await expect(page.getByRole('link', { name: /Projector in room 4/ })).toHaveCount(0)

  await page.goto(`/tickets/${ticketId}`)
  await expect(page.getByTestId('ticket-channel')).toHaveText('via email')
  await page.getByTestId('ticket-mail-thread').locator('summary').click()
  await expect(page.getByTestId('ticket-mail-message')).toHaveCount(2) // received + our notice
  await expect(page.getByTestId('ticket-files')).toContainText('projector-menu.txt') // the mail's attachment
  await page.screenshot({ path: join(shots, 'ticket-email-dark.png'), fullPage: true })
  await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'light'))
  await page.emulateMedia({ colorScheme: 'light' })
  await page.screenshot({ path: join(shots, 'ticket-email-light.png'), fullPage: true })

  const phone = await signIn('admin', { viewport: { width: 390, height: 844 } })
  await phone.goto('/tickets?filter=' + encodeURIComponent(JSON.stringify({ channel: ['email'] })))
  await expect(phone.locator('tbody tr', { hasText: 'Projector in room 4' })).toBeVisible()
  expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
  await phone.screenshot({ path: join(shots, 'tickets-by-channel-phone.png'), fullPage: true })
  await phone.goto('/settings/mailboxes')
  await expect(phone.getByTestId('mailboxes-page')).toBeVisible()
  await expect(phone.locator('li[data-testid^="mailbox-"]', { hasText: address })).toBeVisible()
  await phone.screenshot({ path: join(shots, 'mailboxes-phone.png'), fullPage: true })
})

test('an agent opts in to notifications by mail from the account menu; a requester has no such switch', async ({ signIn, apiAs }) => {
  const page = await signIn('agent')
  await page.goto('/')
  await page.getByTestId('user-menu').click()
  const toggle = page.getByTestId('menu-mail-notify')
  await expect(toggle).toHaveAttribute('aria-checked', 'false')
  const saved = page.waitForResponse((r) => r.request().method() === 'PUT' && r.url().endsWith('/api/mail/preferences'))
  await toggle.click()
  expect((await saved).status()).toBe(200)
  await expect(toggle).toHaveAttribute('aria-checked', 'true')
  const agent = await apiAs('agent')
  try {
    expect((await agent.get<{ notify_by_email: boolean }>('/api/mail/preferences')).body).toEqual({ notify_by_email: true })
    await page.reload()
    await page.getByTestId('user-menu').click()
    await expect(page.getByTestId('menu-mail-notify')).toHaveAttribute('aria-checked', 'true')
    await page.screenshot({ path: join(shots, 'menu-mail-notify.png') })
  } finally {
    await agent.send('PUT', '/api/mail/preferences', { notify_by_email: false })
  }

  const requester = await signIn('user')
  await requester.goto('/')
  await requester.getByTestId('user-menu').click()
  await expect(requester.getByTestId('sign-out')).toBeVisible()
  await expect(requester.getByTestId('menu-mail-notify')).toHaveCount(0)
})
