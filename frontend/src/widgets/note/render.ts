import MarkdownIt from 'markdown-it'
import DOMPurify from 'dompurify'

// Raw HTML in the markdown is escaped by markdown-it (html: false); DOMPurify then strips anything
// dangerous that markdown itself can produce (javascript: links and the like).
const markdown = new MarkdownIt({ html: false, linkify: true, breaks: true })

/** Whether an image source stays on this site (the CSP's img-src: 'self' data: blob:). */
function isLocalImage(src: string): boolean {
  try {
    const url = new URL(src, window.location.href)
    return url.origin === window.location.origin || url.protocol === 'data:' || url.protocol === 'blob:'
  } catch {
    return false
  }
}

// Our own attachments (/api/attachments/<id>): loaded with the reader's token, never by the
// <img> itself (features/attachments/images.ts turns data-attachment into a blob: URL).
const ATTACHMENT_IMAGE = /^\/api\/attachments\/\d+$/

/** Markdown to sanitised HTML; links open in a new tab without giving it our window. */
export function renderNote(source: string): string {
  const html = DOMPurify.sanitize(markdown.render(source), { USE_PROFILES: { html: true } })
  const template = document.createElement('template')
  template.innerHTML = html
  // A remote image would tell its host who read the note, and when (a tracking pixel); the CSP
  // blocks it anyway, so show a plain link the reader may choose to follow instead.
  template.content.querySelectorAll('img').forEach((image) => {
    const src = image.getAttribute('src') ?? ''
    if (ATTACHMENT_IMAGE.test(src)) {
      image.removeAttribute('src')
      image.setAttribute('data-attachment', src)
      image.setAttribute('loading', 'lazy')
      return
    }
    if (isLocalImage(src)) return
    const link = document.createElement('a')
    link.setAttribute('href', src)
    link.textContent = image.getAttribute('alt') || 'image'
    image.replaceWith(link)
  })
  template.content.querySelectorAll('a[href]').forEach((link) => {
    link.setAttribute('target', '_blank')
    link.setAttribute('rel', 'noopener noreferrer')
  })
  return template.innerHTML
}
