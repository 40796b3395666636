import { createHmac } from 'node:crypto'
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { request as playwrightRequest } from '@playwright/test'
import { expect, test } from '../support/fixtures'

interface Received {
  headers: IncomingMessage['headers']
  body: string
}

test('an admin adds a webhook that receives a signed ping, and an API token that opens a ticket until revoked', async ({
  signIn,
  baseURL,
}) => {
  // A receiver on loopback, started by the test (the server runs in development: loopback allowed).
  const received: Received[] = []
  const receiver = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk: Buffer) => (body += chunk.toString()))
    req.on('end', () => {
      received.push({ headers: req.headers, body })
      res.writeHead(200).end('ok')
    })
  })
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
  const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`

  try {
    const page = await signIn('admin')
    await page.goto('/')
    await page.getByTestId('user-menu').click()
    await page.getByTestId('menu-integrations').click()
    await expect(page.getByTestId('integrations-page')).toBeVisible()

    await page.getByTestId('webhook-url').fill(hookUrl)
    await page.getByTestId('webhook-add').click()
    const secret = (await page.getByTestId('webhook-secret').locator('code').textContent()) ?? ''
    expect(secret).toMatch(/^whsec_/)
    const row = page.locator('li[data-testid^="webhook-"]', { hasText: hookUrl }).first()
    await row.getByRole('button', { name: 'Send test' }).click()
    await expect(async () => {
      await row.getByRole('button', { name: 'Deliveries' }).click()
      await expect(row.locator('td[data-status="delivered"]')).toHaveCount(1, { timeout: 500 })
    }).toPass({ timeout: 15_000 })

    expect(received).toHaveLength(1)
    const ping = received[0] as Received
    const [stamp = '', signature] = String(ping.headers['x-deskboard-signature']).split(',')
    const t = stamp.replace('t=', '')
    const expected = createHmac('sha256', secret).update(`${t}.${ping.body}`).digest('hex')
    expect(signature).toBe(`v1=${expected}`)
    expect(JSON.parse(ping.body).type).toBe('ping')

    await page.getByTestId('api-token-name').fill('Monitoring e2e')
    await page.getByTestId('api-token-scope-tickets:write').check()
    await page.getByTestId('api-token-add').click()
    const token = (await page.getByTestId('api-token-value').locator('code').textContent()) ?? ''
    expect(token).toMatch(/^dbk_/)

    const integration = await playwrightRequest.newContext({
      baseURL,
      extraHTTPHeaders: { Authorization: `Bearer ${token}` },
    })
    const created = await integration.post('/api/tickets', { data: { title: 'Disk full on db-3' } })
    expect(created.status()).toBe(201)
    expect((await created.json()).channel).toBe('api')

    page.once('dialog', (dialog) => void dialog.accept())
    await page.locator('li[data-testid^="api-token-"]', { hasText: 'Monitoring e2e' }).getByRole('button', { name: 'Revoke' }).click()
    await expect(page.locator('li[data-testid^="api-token-"]', { hasText: 'Monitoring e2e' })).toHaveCount(0)
    expect((await integration.get('/api/tickets')).status()).toBe(401)
    await integration.dispose()
  } finally {
    receiver.close()
  }
})
