/** The real services a plugin borrows: the app's authenticated client, socket, drawer and toasts. */
import { computed, type ComputedRef } from 'vue'
import { useRouter } from 'vue-router'
import type { PluginWidgetProps, TicketFilter } from '@deskboard/sdk'
import { request } from '@/api'
import { useTicketOpener } from '@/features/tickets/openTicket'
import type { WidgetPlacement } from '@/features/dashboard/state/types'
import { realtime } from '@/realtime'
import { effectiveTheme, themeChoice } from '@/shared/theme'
import { showToast } from '@/shared/toast'
import { drillDownLocation } from '@/widgets/shared/drillDown'
import { useDashboardFilterStore } from '@/widgets/shared/dashboardFilter'
import type { HostServices } from './pluginContext'

export function useHostServices(): HostServices {
  const router = useRouter()
  const opener = useTicketOpener()
  return {
    request: (method, url, options) => request(method, url, options),
    subscribe: (type, handler) =>
      realtime.subscribe(type, (event) => handler({ type: event.type, id: event.id, at: event.at, data: event.data })),
    ui: {
      openTicket: (id) => {
        if (Number.isInteger(id) && id > 0) opener.open(id)
      },
      openTicketList: (filter: TicketFilter) => void router.push(drillDownLocation(filter as never)),
      toast: (message, kind) => showToast(String(message), kind === 'success' || kind === 'error' ? kind : 'info'),
    },
  }
}

/** The props a plugin widget receives, kept current. */
export function usePluginProps(
  widget: () => WidgetPlacement,
  editing: () => boolean,
): ComputedRef<PluginWidgetProps> {
  const panel = useDashboardFilterStore()
  return computed(() => {
    const w = widget()
    // Read themeChoice so a change of theme recomputes (effectiveTheme reads it too).
    void themeChoice.value
    return {
      widgetId: w.id,
      type: w.type,
      settings: w.settings,
      size: { w: w.w, h: w.h },
      editing: editing(),
      theme: effectiveTheme(),
      filter: panel.filter as TicketFilter,
    }
  })
}
