/**
 * The ticket list's rows: keyset pages ("load more"), quiet refreshes that keep what is loaded,
 * and single-row replacement after an inline edit or a 409.
 */
import { ref, shallowRef } from 'vue'
import { fetchTickets, MAX_PAGE, type TicketFilter } from '../shared/tickets'
import type { TicketFull } from '@/features/tickets/api'

export type ListState = 'loading' | 'ready' | 'error'

export function useTicketPages(query: () => { filter: TicketFilter; sort: string; pageSize: number }) {
  const rows = shallowRef<TicketFull[]>([])
  const nextCursor = ref<string | null>(null)
  const state = ref<ListState>('loading')
  const loadingMore = ref(false)
  const errorText = ref('')
  let controller: AbortController | null = null

  /**
   * First page (`quiet`: keep the rows on screen and re-read as many as are shown, so a refresh
   * after a ticket event does not collapse what the person scrolled through).
   */
  async function load(quiet = false): Promise<void> {
    controller?.abort()
    const current = new AbortController()
    controller = current
    const { filter, sort, pageSize } = query()
    if (!quiet || state.value !== 'ready') state.value = 'loading'
    loadingMore.value = false
    try {
      const limit = quiet ? Math.min(MAX_PAGE, Math.max(pageSize, rows.value.length)) : pageSize
      const page = await fetchTickets({ filter, sort, limit, signal: current.signal })
      rows.value = page.items as TicketFull[]
      nextCursor.value = page.next_cursor
      state.value = 'ready'
    } catch (error) {
      if (current.signal.aborted) return
      errorText.value = error instanceof Error ? error.message : 'Could not load the tickets'
      if (!quiet || state.value !== 'ready') state.value = 'error'
    }
  }

  async function loadMore(): Promise<void> {
    if (!nextCursor.value || loadingMore.value || state.value !== 'ready') return
    const current = new AbortController()
    controller = current
    const { filter, sort, pageSize } = query()
    loadingMore.value = true
    errorText.value = ''
    try {
      const page = await fetchTickets({ filter, sort, limit: pageSize, cursor: nextCursor.value, signal: current.signal })
      const seen = new Set(rows.value.map((row) => row.id))
      rows.value = [...rows.value, ...(page.items as TicketFull[]).filter((row) => !seen.has(row.id))]
      nextCursor.value = page.next_cursor
    } catch (error) {
      if (current.signal.aborted) return
      errorText.value = error instanceof Error ? error.message : 'Could not load more tickets'
    } finally {
      if (controller === current) loadingMore.value = false
    }
  }

  function replaceRow(ticket: TicketFull): void {
    rows.value = rows.value.map((row) => (row.id === ticket.id ? { ...row, ...ticket } : row))
  }

  function abort(): void {
    controller?.abort()
  }

  return { rows, nextCursor, state, loadingMore, errorText, load, loadMore, replaceRow, abort }
}
