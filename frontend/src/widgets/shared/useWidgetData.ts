/**
 * One widget's data: loading / ready / empty / error, reloaded when its inputs change and, quietly
 * (the old figures stay on screen), after ticket events. Aborts what is in flight on unmount.
 */
import { onBeforeUnmount, ref, shallowRef, watch, type Ref, type ShallowRef } from 'vue'
import { useTicketRefresh } from '@/realtime/useServerEvents'

export type WidgetDataState = 'loading' | 'ready' | 'empty' | 'error'

export interface WidgetData<T> {
  state: Ref<WidgetDataState>
  data: ShallowRef<T | null>
  errorText: Ref<string>
  /** Load again, showing the loading state. */
  reload: () => Promise<void>
  /** Load again, keeping the current figures on screen until the new ones arrive. */
  refresh: () => Promise<void>
}

export function useWidgetData<T>(options: {
  /** Reload (showing the loading state) whenever this changes; compared as JSON. */
  inputs: () => unknown
  load: (signal: AbortSignal) => Promise<T>
  isEmpty?: (data: T) => boolean
  /** Also reload on ticket events (default true). */
  live?: boolean
}): WidgetData<T> {
  const state = ref<WidgetDataState>('loading')
  const data = shallowRef<T | null>(null)
  const errorText = ref('')
  let controller: AbortController | null = null

  async function run(quiet: boolean): Promise<void> {
    controller?.abort()
    const current = new AbortController()
    controller = current
    if (!quiet || data.value === null) state.value = 'loading'
    try {
      const result = await options.load(current.signal)
      if (current.signal.aborted) return
      data.value = result
      state.value = options.isEmpty?.(result) ? 'empty' : 'ready'
    } catch (error) {
      if (current.signal.aborted) return
      errorText.value = error instanceof Error && error.message ? error.message : 'Could not load the figures'
      state.value = 'error'
    }
  }

  watch(() => JSON.stringify(options.inputs() ?? null), () => void run(false), { immediate: true })
  if (options.live !== false) useTicketRefresh(() => void run(true))
  onBeforeUnmount(() => controller?.abort())

  return { state, data, errorText, reload: () => run(false), refresh: () => run(true) }
}
