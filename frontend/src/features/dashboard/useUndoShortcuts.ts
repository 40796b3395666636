import { onBeforeUnmount } from 'vue'
import { useLayoutStore } from './layoutStore'

/** Whether a key press belongs to a text field (its own undo must keep working there). */
export function isTextInput(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  if (target.isContentEditable) return true
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true
  if (target instanceof HTMLInputElement) {
    return !['button', 'checkbox', 'radio', 'range', 'color', 'submit', 'reset'].includes(target.type)
  }
  return false
}

/** Which layout action a key press asks for, if any: Ctrl/Cmd+Z, Ctrl/Cmd+Shift+Z, Ctrl/Cmd+Y. */
export function shortcutFor(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>): 'undo' | 'redo' | null {
  if (!(event.ctrlKey || event.metaKey) || event.altKey) return null
  const key = event.key.toLowerCase()
  if (key === 'z') return event.shiftKey ? 'redo' : 'undo'
  if (key === 'y' && !event.shiftKey) return 'redo'
  return null
}

/** Undo/redo keys for the layout, on the whole page while editing (never inside text fields). */
export function useUndoShortcuts(): void {
  const layout = useLayoutStore()
  function onKeydown(event: KeyboardEvent): void {
    if (!layout.editing || event.defaultPrevented || isTextInput(event.target)) return
    const action = shortcutFor(event)
    if (!action) return
    event.preventDefault()
    if (action === 'undo') layout.undo()
    else layout.redo()
  }
  window.addEventListener('keydown', onKeydown)
  onBeforeUnmount(() => window.removeEventListener('keydown', onKeydown))
}
