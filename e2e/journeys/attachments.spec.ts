import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { expect, test } from '../support/fixtures'
import { TicketWidgets } from '../pages/TicketWidgets'

/**
 * Issue 12's attachments: an agent attaches a log with the picker to a reply, pastes a screenshot
 * into an internal note (it shows inline), downloads the log; the requester sees the reply's file
 * and never the internal note's.
 */

const shots = join(__dirname, '..', 'artifacts', 'screenshots', 'attachments')
const run = Date.now().toString(36)

interface Ticket {
  id: number
  number: number
}

interface Attachment {
  id: number
  filename: string
  internal: boolean
  url: string
}

/** A small valid PNG (a 2x2 red square). */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==',
  'base64',
)

test('files travel with replies; an internal note keeps its screenshot from the requester', async ({ apiAs, signIn }) => {
  const requester = await apiAs('user')
  const ticket = await requester.send<Ticket>('POST', '/api/tickets', { title: `Scanner jams ${run}`, description: 'Paper stuck.' })
  expect(ticket.status).toBe(201)
  const log = `scanner error 0x42 ${run}\n`

  const page = await signIn('agent')
  await page.emulateMedia({ colorScheme: 'light' })
  await page.goto(`/tickets/${ticket.body.id}`)
  const tickets = new TicketWidgets(page)
  const drawer = tickets.drawer
  await expect(drawer.getByTestId('ticket-title')).toContainText(`Scanner jams ${run}`)

  // 1. The picker: the upload shows its progress, then the reply takes it.
  const uploaded = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith(`/api/tickets/${ticket.body.id}/attachments`))
  await drawer.getByTestId('attach-input').setInputFiles({ name: 'scanner.log', mimeType: 'text/plain', buffer: Buffer.from(log) })
  expect((await uploaded).status()).toBe(201)
  await expect(drawer.getByTestId('upload-done')).toContainText('scanner.log')
  await drawer.getByTestId('reply-body').fill('The scanner log is attached.')
  await drawer.getByTestId('reply-submit').click()
  const reply = drawer.locator('[data-testid^="comment-"]').filter({ hasText: 'The scanner log is attached.' })
  await expect(reply.getByTestId('attachment-list')).toContainText('scanner.log')
  await expect(drawer.getByTestId('ticket-files')).toContainText('scanner.log')

  // 2. A screenshot pasted into an internal note becomes an inline image.
  await drawer.getByTestId('reply-internal').check()
  const editor = drawer.getByTestId('reply-body')
  await editor.fill('Vendor screenshot: ')
  const pasted = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith(`/api/tickets/${ticket.body.id}/attachments`))
  await editor.evaluate((element, base64) => {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))
    const data = new DataTransfer()
    data.items.add(new File([bytes], 'image.png', { type: 'image/png' }))
    element.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }))
  }, PNG.toString('base64'))
  const screenshot = (await (await pasted).json()) as Attachment
  expect(screenshot.internal).toBe(true)
  await expect(editor).toHaveValue(new RegExp(`!\\[image\\.png\\]\\(/api/attachments/${screenshot.id}\\)`))
  await drawer.getByTestId('reply-submit').click()
  const note = drawer.locator('[data-testid^="comment-"][data-internal="true"]').filter({ hasText: 'Vendor screenshot' })
  const image = note.locator(`img[data-attachment="/api/attachments/${screenshot.id}"]`)
  await expect(image).toHaveAttribute('src', /^blob:/)
  await expect.poll(() => image.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(2)
  await expect(note.getByTestId(`attachment-${screenshot.id}`)).toContainText('Internal')
  await page.screenshot({ path: join(shots, 'detail-light.png') })
  await page.emulateMedia({ colorScheme: 'dark' })
  await page.waitForTimeout(300) // let the 150 ms colour transitions end before the picture
  await page.screenshot({ path: join(shots, 'detail-dark.png') })
  await page.emulateMedia({ colorScheme: 'light' })

  // 3. Download: the browser saves the file under its name, with its bytes.
  const files = await requester.get<Attachment[]>(`/api/tickets/${ticket.body.id}/attachments`)
  const logFile = files.body.find((f) => f.filename === 'scanner.log')
  expect(logFile).toBeTruthy()
  const download = page.waitForEvent('download')
  await drawer.getByTestId('ticket-files').getByTestId(`attachment-download-${logFile!.id}`).click()
  const saved = await download
  expect(saved.suggestedFilename()).toBe('scanner.log')
  expect(await readFile((await saved.path())!, 'utf8')).toBe(log)

  // 4. The requester: the reply's file, never the internal note's.
  expect(files.body.map((f) => f.filename)).toEqual(['scanner.log'])
  expect((await requester.get(`/api/attachments/${screenshot.id}`)).status).toBe(404)
  const mine = await signIn('user')
  await mine.goto(`/tickets/${ticket.body.id}`)
  const theirs = new TicketWidgets(mine).drawer
  await expect(theirs.getByTestId('ticket-files')).toContainText('scanner.log')
  await expect(theirs.getByTestId(`attachment-${screenshot.id}`)).toHaveCount(0)
  await expect(theirs.locator('[data-testid^="comment-"][data-internal="true"]')).toHaveCount(0)
})

interface Layout {
  version: number
  grid: unknown
  widgets: unknown[]
}

test('a new ticket takes a pasted screenshot and a picked file; a file over the cap is refused', async ({ apiAs, signIn }) => {
  const requester = await apiAs('user')
  // The requester's dashboard gets a new-ticket form for this journey, and its own back after.
  const before = await requester.get<Layout>('/api/layout/me')
  const grid = { columns: 12, row_height: 80 }
  const widgets = [{ id: 'form', type: 'new-ticket', x: 0, y: 0, w: 6, h: 7, settings: { title: 'New ticket' } }]
  const saved =
    before.status === 404
      ? await requester.send<Layout>('POST', '/api/layout/me', { grid, widgets })
      : await requester.send<Layout>('PUT', '/api/layout/me', { ...before.body, grid, widgets })
  expect([200, 201]).toContain(saved.status)
  try {
    await newTicketWithFiles(signIn, apiAs)
  } finally {
    if (before.status === 200) {
      await requester.send('PUT', '/api/layout/me', { ...before.body, version: saved.body.version })
    }
  }
})

async function newTicketWithFiles(
  signIn: (role: 'user') => Promise<import('@playwright/test').Page>,
  apiAs: (role: 'agent') => Promise<import('../support/fixtures').ApiAs>,
): Promise<void> {
  const page = await signIn('user')
  await page.goto('/')
  const form = page.getByTestId('widget-form')
  await expect(form).toBeVisible()
  await form.getByTestId('new-ticket-title').fill(`Monitor flickers ${run}`)
  const description = form.getByTestId('new-ticket-description')
  await description.fill('It flickers: ')
  const pasted = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/attachments'))
  await description.evaluate((element, base64) => {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))
    const data = new DataTransfer()
    data.items.add(new File([bytes], 'image.png', { type: 'image/png' }))
    element.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }))
  }, PNG.toString('base64'))
  const image = (await (await pasted).json()) as Attachment
  await expect(description).toHaveValue(new RegExp(`/api/attachments/${image.id}`))
  await form.getByTestId('attach-input').setInputFiles({ name: 'specs.txt', mimeType: 'text/plain', buffer: Buffer.from('model X\n') })
  await expect(form.getByTestId('upload-done')).toHaveCount(2)
  // Over the cap (1 MiB on the journeys' server): refused with the server's words, nothing kept.
  await form.getByTestId('attach-input').setInputFiles({ name: 'huge.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(1024 * 1024 + 10) })
  await expect(form.getByTestId('upload-error-text')).toContainText('over the 1 MiB attachment limit')
  await page.screenshot({ path: join(shots, 'new-ticket-light.png') })
  await page.emulateMedia({ colorScheme: 'dark' })
  await page.waitForTimeout(300)
  await page.screenshot({ path: join(shots, 'new-ticket-dark.png') })
  const created = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/tickets'))
  await form.getByTestId('new-ticket-submit').click()
  const ticket = (await (await created).json()) as Ticket
  const api = await apiAs('agent')
  const files = await api.get<Attachment[]>(`/api/tickets/${ticket.id}/attachments`)
  expect(files.body.map((f) => f.filename).sort()).toEqual(['image.png', 'specs.txt'])
}
