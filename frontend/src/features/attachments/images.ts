/** Images that point at our attachments load through an authenticated fetch: an <img> cannot
 * send the bearer token, so the rendered markdown carries the address in data-attachment and the
 * picture arrives as a blob: URL (the CSP's img-src allows 'self' and blob:, nothing remote). */
import type { Directive } from 'vue'
import { fetchAttachment } from './api'

const loaded = new Map<string, Promise<string>>()

function objectUrl(url: string): Promise<string> {
  let found = loaded.get(url)
  if (!found) {
    found = fetchAttachment(url).then((blob) => URL.createObjectURL(blob))
    found.catch(() => loaded.delete(url))
    loaded.set(url, found)
  }
  return found
}

export function hydrateAttachmentImages(root: ParentNode): void {
  root.querySelectorAll<HTMLImageElement>('img[data-attachment]').forEach((image) => {
    const url = image.dataset.attachment ?? ''
    if (image.dataset.loadedFrom === url) return
    image.dataset.loadedFrom = url
    objectUrl(url)
      .then((src) => {
        image.src = src
      })
      .catch(() => {
        image.alt = `${image.alt || 'image'} (not available)`
        image.classList.add('missing')
      })
  })
}

/** v-attachment-images on an element whose v-html holds rendered markdown. */
export const vAttachmentImages: Directive<HTMLElement> = {
  mounted: (element) => hydrateAttachmentImages(element),
  updated: (element) => hydrateAttachmentImages(element),
}
