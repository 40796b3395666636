import MarkdownIt from 'markdown-it'
import DOMPurify from 'dompurify'

// Raw HTML in the markdown is escaped by markdown-it (html: false); DOMPurify then strips anything
// dangerous that markdown itself can produce (javascript: links and the like).
const markdown = new MarkdownIt({ html: false, linkify: true, breaks: true })

/** Markdown to sanitised HTML; links open in a new tab without giving it our window. */
export function renderNote(source: string): string {
  const html = DOMPurify.sanitize(markdown.render(source), { USE_PROFILES: { html: true } })
  const template = document.createElement('template')
  template.innerHTML = html
  template.content.querySelectorAll('a[href]').forEach((link) => {
    link.setAttribute('target', '_blank')
    link.setAttribute('rel', 'noopener noreferrer')
  })
  return template.innerHTML
}
