/**
 * Which ticket is open. The URL is the one source of truth, so a ticket can be linked, reloaded
 * and closed with Back: `?ticket=ID` opens the drawer over whatever page is shown (the dashboard,
 * a drill-down list), and `/tickets/:id` is the dashboard with that ticket open. This store
 * mirrors it for widgets (ticket-detail with `follow_selection` shows the last one opened).
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { useRoute, useRouter, type RouteLocationNormalizedLoaded } from 'vue-router'

export const TICKET_ROUTE = 'ticket'
export const TICKET_QUERY = 'ticket'

export const useOpenTicketStore = defineStore('openTicket', () => {
  /** The ticket shown in the drawer (null: closed). */
  const openId = ref<number | null>(null)
  /** The ticket last opened, kept after the drawer closes (for widgets that follow the selection). */
  const selectedId = ref<number | null>(null)

  function show(id: number | null): void {
    openId.value = id
    if (id !== null) selectedId.value = id
  }

  return { openId, selectedId, show }
})

/** Open and close tickets from any component (list rows, notifications, activity, the form). */
export function useTicketOpener(): { open: (id: number) => void; close: () => void } {
  const router = useRouter()
  const route = useRoute()
  const store = useOpenTicketStore()
  return {
    open(id: number): void {
      store.show(id)
      if (route.name === TICKET_ROUTE) void router.push({ name: TICKET_ROUTE, params: { id: String(id) } })
      else void router.push({ path: route.path, query: { ...route.query, [TICKET_QUERY]: String(id) } })
    },
    close(): void {
      store.show(null)
      if (route.name === TICKET_ROUTE) {
        void router.push({ name: 'dashboard' })
        return
      }
      const query = { ...route.query }
      delete query[TICKET_QUERY]
      void router.push({ path: route.path, query })
    },
  }
}

/** The ticket a route shows in the drawer, or null. */
export function ticketInRoute(route: Pick<RouteLocationNormalizedLoaded, 'name' | 'params' | 'query'>): number | null {
  if (route.name === TICKET_ROUTE) return ticketIdParam(route.params.id)
  return ticketIdParam(route.query[TICKET_QUERY])
}

/** The ticket id of a `/tickets/:id` route parameter, or null. */
export function ticketIdParam(param: unknown): number | null {
  const text = Array.isArray(param) ? param[0] : param
  if (typeof text !== 'string' || !/^\d{1,12}$/.test(text)) return null
  const id = Number(text)
  return id >= 1 ? id : null
}
