/**
 * Keeping Tab inside a modal panel (the ticket drawer). Only the Tab key is handled: a click on
 * the header (theme, user menu) may still move focus out, and the next Tab brings it back in.
 */

const FOCUSABLE = [
  'a[href]',
  'button:not([disabled])',
  'input:not([disabled]):not([type="hidden"])',
  'select:not([disabled])',
  'textarea:not([disabled])',
  'summary',
  '[contenteditable="true"]',
  '[tabindex]',
].join(', ')

function shown(element: HTMLElement, root: HTMLElement): boolean {
  for (let node: HTMLElement | null = element; node && node !== root.parentElement; node = node.parentElement) {
    if (node.hidden || node.style.display === 'none' || node.hasAttribute('inert')) return false
  }
  // Browsers also know stylesheet rules (display: none from a class); jsdom has no layout and no checkVisibility.
  return typeof element.checkVisibility !== 'function' || element.checkVisibility({ visibilityProperty: true })
}

/** The elements of `root` that Tab reaches, in document order. */
export function tabbables(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
    (element) => element.tabIndex >= 0 && element.getAttribute('tabindex') !== '-1' && shown(element, root),
  )
}

/**
 * Handle a Tab keydown for `root`: wrap from the last tabbable to the first (and back with
 * Shift), and bring focus that is outside (or on the panel itself) in. Returns true when handled.
 */
export function trapTab(event: KeyboardEvent, root: HTMLElement): boolean {
  if (!root.isConnected || event.key !== 'Tab' || event.altKey || event.ctrlKey || event.metaKey) return false
  const items = tabbables(root)
  const active = document.activeElement as HTMLElement | null
  const inside = active !== null && root.contains(active)
  if (items.length === 0) {
    event.preventDefault()
    root.focus()
    return true
  }
  const first = items[0]
  const last = items[items.length - 1]
  let target: HTMLElement | undefined
  if (!inside || active === root) target = event.shiftKey ? last : first
  else if (event.shiftKey && active === first) target = last
  else if (!event.shiftKey && active === last) target = first
  else if (!items.includes(active)) {
    // Focus on something not in the tab order (a heading with tabindex=-1): step from its place.
    const after = items.find((item) => active.compareDocumentPosition(item) & Node.DOCUMENT_POSITION_FOLLOWING)
    const before = [...items].reverse().find((item) => active.compareDocumentPosition(item) & Node.DOCUMENT_POSITION_PRECEDING)
    target = event.shiftKey ? (before ?? last) : (after ?? first)
  }
  if (!target) return false // the browser moves to the next one inside
  event.preventDefault()
  target.focus()
  return true
}
