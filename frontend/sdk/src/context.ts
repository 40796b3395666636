/** How a widget reaches its host: the host provides a context, the widget injects it. */
import { inject, type InjectionKey } from 'vue'
import type { DeskboardContext } from './types'

/**
 * The injection key. It is the same symbol for the host and every plugin because `vue` and
 * `@deskboard/sdk` are each loaded once, through the page's import map.
 */
export const DESKBOARD_CONTEXT: InjectionKey<DeskboardContext> = Symbol.for('deskboard.plugin-context.v1')

/** The host's services for the calling widget (call it in `setup`). */
export function useDeskboard(): DeskboardContext {
  const context = inject(DESKBOARD_CONTEXT, null)
  if (!context) {
    throw new Error('useDeskboard() must be called in the setup of a widget that Deskboard renders')
  }
  return context
}
