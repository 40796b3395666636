import { onBeforeUnmount, onMounted, ref, watch } from 'vue'
import { useLayoutStore } from '@/features/dashboard/layoutStore'
import { realtime } from '@/realtime'

/**
 * Connect the signed-in session's moving parts: the socket starts with the shell, layout
 * events reach the layout store, presence follows edit mode, and the network state reaches
 * the save queue. Everything is undone when the shell goes away (sign-out).
 */
export function useSessionWiring() {
  const layout = useLayoutStore()
  /** How many other tabs or devices of this person are editing the layout now. */
  const otherEditors = ref(0)
  const stops: Array<() => void> = []

  const onOnline = () => layout.online()
  const onOffline = () => layout.offline()
  const onPageHide = () => void layout.flush()

  onMounted(() => {
    stops.push(
      realtime.subscribe('layout.updated', (event) => {
        if (event.data?.document) layout.applyRemote(event.data.document)
      }),
      realtime.subscribe('resync', () => {
        // Events were missed: read the layout again, as a remote version (unsent local edits are
        // merged; in edit mode it waits for merge or discard rather than replacing the edit).
        if (layout.document) void layout.refetch()
      }),
      realtime.subscribe('presence', (event) => {
        otherEditors.value = event.data?.editing_sessions ?? 0
      }),
      // A new socket starts from nobody else editing; the server tells it when that is not so.
      realtime.subscribe('ready', () => {
        otherEditors.value = 0
      }),
    )
    stops.push(watch(() => layout.editing, (editing) => realtime.setEditing(editing), { immediate: true }))
    window.addEventListener('online', onOnline)
    window.addEventListener('offline', onOffline)
    window.addEventListener('pagehide', onPageHide)
    realtime.start()
  })

  onBeforeUnmount(() => {
    stops.forEach((stop) => stop())
    window.removeEventListener('online', onOnline)
    window.removeEventListener('offline', onOffline)
    window.removeEventListener('pagehide', onPageHide)
  })

  return { otherEditors }
}
