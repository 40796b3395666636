import type { JSHandle, Locator, Page } from '@playwright/test'

/** A file as the journeys hand it to the page (the same shape as setInputFiles takes). */
export interface FilePayload {
  name: string
  mimeType: string
  buffer: Buffer
}

/**
 * A DataTransfer built in the page holding real File objects, as the browser hands one to a drop
 * or a paste from outside the page (its type list then says "Files").
 */
export function dataTransfer(page: Page, files: FilePayload[], text?: string): Promise<JSHandle<DataTransfer>> {
  const encoded = files.map((f) => ({ name: f.name, type: f.mimeType, base64: f.buffer.toString('base64') }))
  return page.evaluateHandle(
    ({ encoded, text }) => {
      const data = new DataTransfer()
      for (const file of encoded) {
        const bytes = Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0))
        data.items.add(new File([bytes], file.name, { type: file.type }))
      }
      if (text !== undefined) data.setData('text/plain', text)
      return data
    },
    { encoded, text },
  )
}

/** Drag files from outside onto `zone` and drop them on `target` (a field inside the zone). */
export async function dragFilesOver(zone: Locator, files: FilePayload[]): Promise<JSHandle<DataTransfer>> {
  const data = await dataTransfer(zone.page(), files)
  await zone.dispatchEvent('dragenter', { dataTransfer: data })
  await zone.dispatchEvent('dragover', { dataTransfer: data })
  return data
}

export async function dropFiles(zone: Locator, target: Locator, files: FilePayload[]): Promise<void> {
  const data = await dragFilesOver(zone, files)
  await target.dispatchEvent('dragenter', { dataTransfer: data })
  await target.dispatchEvent('dragover', { dataTransfer: data })
  await target.dispatchEvent('drop', { dataTransfer: data })
  await data.dispose()
}

/** Paste image files into `editor` as a screenshot tool's clipboard holds them. */
export async function pasteFiles(editor: Locator, files: FilePayload[]): Promise<void> {
  const data = await dataTransfer(editor.page(), files)
  await editor.evaluate((element, clipboardData) => {
    element.dispatchEvent(new ClipboardEvent('paste', { clipboardData, bubbles: true, cancelable: true }))
  }, data)
  await data.dispose()
}

/** Whether the page let `type` through `target` untouched: dispatch it with text only and
 * answer whether any handler cancelled it (a text drag inside an editor must stay the browser's). */
export async function cancelsTextDrag(target: Locator, type: 'dragover' | 'drop', text: string): Promise<boolean> {
  const data = await dataTransfer(target.page(), [], text)
  const cancelled = await target.evaluate(
    (element, { type, data }) => {
      const event = new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true })
      element.dispatchEvent(event)
      return event.defaultPrevented
    },
    { type, data },
  )
  await data.dispose()
  return cancelled
}
