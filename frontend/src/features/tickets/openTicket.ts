/**
 * Which ticket is open. The route is the one source of truth (`/tickets/:id` shows the dashboard
 * with the ticket drawer over it), so a ticket can be linked, reloaded and closed with Back; this
 * store mirrors it for widgets (ticket-detail with `follow_selection` shows the last one opened).
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { useRouter } from 'vue-router'

export const TICKET_ROUTE = 'ticket'

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
  const store = useOpenTicketStore()
  return {
    open(id: number): void {
      store.show(id)
      void router.push({ name: TICKET_ROUTE, params: { id: String(id) } })
    },
    close(): void {
      store.show(null)
      void router.push({ name: 'dashboard' })
    },
  }
}

/** The ticket id of a `/tickets/:id` route parameter, or null. */
export function ticketIdParam(param: unknown): number | null {
  const text = Array.isArray(param) ? param[0] : param
  if (typeof text !== 'string' || !/^\d{1,12}$/.test(text)) return null
  const id = Number(text)
  return id >= 1 ? id : null
}
