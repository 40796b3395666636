import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { expect, test } from '../support/fixtures'
import { cancelsTextDrag, dragFilesOver, dropFiles, pasteFiles } from '../support/files'
import { TicketWidgets } from '../pages/TicketWidgets'

/**
 * Issue 12's attachments: an agent attaches a log with the picker and drops a spreadsheet on the
 * reply, pastes a screenshot into an internal note (it shows inline), downloads the log (served
 * as a download, never sniffed); the requester sees the reply's files and never the note's.
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

test('files travel with replies (picked, dropped); an internal note keeps its pasted screenshot from the requester', async ({ apiAs, signIn }) => {
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

  // 2. Drag and drop: files dragged over the composer show the cue, which goes when they leave;
  //    dropped on the editor, they upload. Text dragged inside the editor stays the browser's.
  const composer = drawer.getByTestId('reply-form')
  const editor = drawer.getByTestId('reply-body')
  const counts = { name: 'counts.csv', mimeType: 'text/csv', buffer: Buffer.from(`tray,jams\n1,${run.length}\n`) }
  const hovering = await dragFilesOver(composer, [counts])
  await expect(composer.getByTestId('drop-overlay')).toBeVisible()
  await composer.dispatchEvent('dragleave', { dataTransfer: hovering })
  await expect(composer.getByTestId('drop-overlay')).toHaveCount(0)
  const dropped = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith(`/api/tickets/${ticket.body.id}/attachments`))
  await dropFiles(composer, editor, [counts])
  expect((await dropped).status()).toBe(201)
  await expect(composer.getByTestId('drop-overlay')).toHaveCount(0)
  await expect(drawer.getByTestId('upload-done')).toHaveCount(2)
  await expect(drawer.getByTestId('upload-list')).toContainText('counts.csv')
  expect(await cancelsTextDrag(editor, 'dragover', 'moved words')).toBe(false)
  expect(await cancelsTextDrag(editor, 'drop', 'moved words')).toBe(false)

  await editor.fill('The scanner log is attached.')
  await drawer.getByTestId('reply-submit').click()
  const reply = drawer.locator('[data-testid^="comment-"]').filter({ hasText: 'The scanner log is attached.' })
  await expect(reply.getByTestId('attachment-list')).toContainText('scanner.log')
  await expect(reply.getByTestId('attachment-list')).toContainText('counts.csv')
  await expect(drawer.getByTestId('ticket-files')).toContainText('scanner.log')
  await expect(drawer.getByTestId('ticket-files')).toContainText('counts.csv')

  // 3. A screenshot pasted into an internal note becomes an inline image.
  await drawer.getByTestId('reply-internal').check()
  await editor.fill('Vendor screenshot: ')
  const pasted = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith(`/api/tickets/${ticket.body.id}/attachments`))
  await pasteFiles(editor, [{ name: 'image.png', mimeType: 'image/png', buffer: PNG }])
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

  // 4. Download: the browser saves the file under its name, with its bytes; the server sends it
  //    as a download that no browser may sniff into a page, and lets only images show inline.
  const files = await requester.get<Attachment[]>(`/api/tickets/${ticket.body.id}/attachments`)
  const logFile = files.body.find((f) => f.filename === 'scanner.log')
  expect(logFile).toBeTruthy()
  const download = page.waitForEvent('download')
  await drawer.getByTestId('ticket-files').getByTestId(`attachment-download-${logFile!.id}`).click()
  const saved = await download
  expect(saved.suggestedFilename()).toBe('scanner.log')
  expect(await readFile((await saved.path())!, 'utf8')).toBe(log)
  const served = await requester.request.get(logFile!.url, { headers: { Authorization: `Bearer ${requester.token}` } })
  expect(served.status()).toBe(200)
  expect(served.headers()['content-disposition']).toBe(`attachment; filename="scanner.log"; filename*=UTF-8''scanner.log`)
  expect(served.headers()['x-content-type-options']).toBe('nosniff')
  expect(served.headers()['content-type']).toMatch(/^text\/plain/)
  expect(await served.text()).toBe(log)
  const agentApi = await apiAs('agent')
  const agentAuth = { Authorization: `Bearer ${agentApi.token}` }
  const shown = await agentApi.request.get(screenshot.url, { headers: agentAuth })
  expect(shown.headers()['content-disposition']).toMatch(/^inline; filename="image\.png"/)
  expect(shown.headers()['x-content-type-options']).toBe('nosniff')
  expect(shown.headers()['content-type']).toBe('image/png')
  const forced = await agentApi.request.get(`${screenshot.url}?download=true`, { headers: agentAuth })
  expect(forced.headers()['content-disposition']).toMatch(/^attachment; filename="image\.png"/)

  // 5. The requester, in a browser of their own: the reply's files, never the internal note's.
  expect(files.body.map((f) => f.filename).sort()).toEqual(['counts.csv', 'scanner.log'])
  expect((await requester.get(`/api/attachments/${screenshot.id}`)).status).toBe(404)
  const mine = await signIn('user')
  await mine.goto(`/tickets/${ticket.body.id}`)
  const theirs = new TicketWidgets(mine).drawer
  await expect(theirs.getByTestId('ticket-files')).toContainText('scanner.log')
  await expect(theirs.getByTestId('ticket-files')).toContainText('counts.csv')
  await expect(theirs.getByTestId('ticket-files')).not.toContainText('image.png')
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
  await pasteFiles(description, [{ name: 'image.png', mimeType: 'image/png', buffer: PNG }])
  const image = (await (await pasted).json()) as Attachment
  await expect(description).toHaveValue(new RegExp(`/api/attachments/${image.id}`))
  await form.getByTestId('attach-input').setInputFiles({ name: 'specs.txt', mimeType: 'text/plain', buffer: Buffer.from('model X\n') })
  await expect(form.getByTestId('upload-done')).toHaveCount(2)
  // A file dropped anywhere on the form (here on the title) joins them.
  const formElement = form.locator('form.new-ticket')
  await dropFiles(formElement, form.getByTestId('new-ticket-title'), [{ name: 'serial.txt', mimeType: 'text/plain', buffer: Buffer.from('SN 1234\n') }])
  await expect(form.getByTestId('upload-done')).toHaveCount(3)
  await expect(formElement.getByTestId('drop-overlay')).toHaveCount(0)
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
  expect(files.body.map((f) => f.filename).sort()).toEqual(['image.png', 'serial.txt', 'specs.txt'])
}

const VIEWPORTS = [
  { name: 'desktop', viewport: { width: 1366, height: 900 } },
  { name: 'phone', viewport: { width: 390, height: 844 } },
] as const

test('the composer with files and the ticket detail with attachments, phone and desktop, light and dark', async ({ apiAs, signIn }) => {
  const requester = await apiAs('user')
  const agent = await apiAs('agent')
  const ticket = await requester.send<Ticket>('POST', '/api/tickets', { title: `Badge reader offline ${run}`, description: 'Door 3 stays shut.' })
  expect(ticket.status).toBe(201)
  // A real screenshot to paste: a picture of the sign-in page.
  const camera = await signIn('user', { viewport: { width: 640, height: 360 } })
  await camera.goto(`/tickets/${ticket.body.id}`)
  await expect(new TicketWidgets(camera).drawer.getByTestId('ticket-title')).toBeVisible()
  const screenshot = await camera.screenshot()
  await camera.context().close()

  const upload = async (file: { name: string; mimeType: string; buffer: Buffer }): Promise<Attachment> => {
    const response = await agent.request.post(`/api/tickets/${ticket.body.id}/attachments`, {
      headers: { Authorization: `Bearer ${agent.token}` },
      multipart: { file },
    })
    expect(response.status()).toBe(201)
    return (await response.json()) as Attachment
  }
  const picture = await upload({ name: 'door-3-controller.png', mimeType: 'image/png', buffer: screenshot })
  const longName = await upload({ name: 'badge-reader-firmware-update-log-2026-12-05-building-b.txt', mimeType: 'text/plain', buffer: Buffer.from('ok\n'.repeat(400)) })
  const posted = await agent.send('POST', `/api/tickets/${ticket.body.id}/comments`, {
    body: `The controller shows this:\n\n![door-3-controller.png](${picture.url})\n\nFirmware log attached.`,
    attachment_ids: [picture.id, longName.id],
  })
  expect(posted.status).toBe(201)

  for (const { name, viewport } of VIEWPORTS) {
    const page = await signIn('agent', { viewport })
    await page.emulateMedia({ colorScheme: 'light' })
    await page.goto(`/tickets/${ticket.body.id}`)
    const drawer = new TicketWidgets(page).drawer
    await expect(drawer.getByTestId('ticket-files')).toContainText('door-3-controller.png')
    const image = drawer.locator(`img[data-attachment="${picture.url}"]`)
    await expect.poll(() => image.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(640)
    // An inline image never widens the drawer past the screen.
    expect(await drawer.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0)

    // The composer with files on their way: one picked, one pasted; then the drop cue.
    const composer = drawer.getByTestId('reply-form')
    await composer.getByTestId('attach-input').setInputFiles({ name: 'door-3-wiring-diagram-rev-b.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') })
    await composer.getByTestId('reply-body').fill('Swapped the reader; see the diagram.\n')
    await pasteFiles(composer.getByTestId('reply-body'), [{ name: 'image.png', mimeType: 'image/png', buffer: PNG }])
    await expect(composer.getByTestId('upload-done')).toHaveCount(2)
    expect(await drawer.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0)
    await composer.scrollIntoViewIfNeeded()
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme })
      await page.waitForTimeout(300) // the 150 ms colour transitions end before the picture
      await page.screenshot({ path: join(shots, `composer-${name}-${scheme}.png`) })
    }
    const hovering = await dragFilesOver(composer, [{ name: 'more.txt', mimeType: 'text/plain', buffer: Buffer.from('x') }])
    await expect(composer.getByTestId('drop-overlay')).toBeVisible()
    await page.screenshot({ path: join(shots, `composer-drop-${name}-dark.png`) })
    await composer.dispatchEvent('dragleave', { dataTransfer: hovering })
    await expect(composer.getByTestId('drop-overlay')).toHaveCount(0)
    // Taken off again: the uploads are deleted, the detail is as it was.
    const removers = composer.getByRole('button', { name: /^Remove / })
    while ((await removers.count()) > 0) await removers.first().click()
    await expect(composer.getByTestId('upload-list')).toHaveCount(0)
    await expect(composer.getByTestId('reply-body')).toHaveValue('Swapped the reader; see the diagram.\n') // no picture of a deleted file

    await drawer.getByTestId('ticket-files').scrollIntoViewIfNeeded()
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme })
      await page.waitForTimeout(300)
      await page.screenshot({ path: join(shots, `detail-${name}-${scheme}.png`) })
    }
    await page.context().close()
  }
  const left = await agent.get<Attachment[]>(`/api/tickets/${ticket.body.id}/attachments`)
  expect(left.body.map((f) => f.filename).sort()).toEqual([longName.filename, picture.filename].sort())
})
