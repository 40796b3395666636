/** A saved view (`/api/views`) a ticket-list widget may show: its filter, columns and sort. */
import { api } from '@/api'
import type { TicketFilter } from '../shared/tickets'

export interface SavedView {
  id: number
  name: string
  filter: TicketFilter
  columns: string[]
  sort: string
}

let views: Promise<SavedView[]> | null = null

/** The views the caller may see (cached briefly: several lists on one dashboard ask at once). */
export function listViews(): Promise<SavedView[]> {
  if (!views) {
    views = api.get<SavedView[]>('/api/views')
    const reset = (): void => {
      setTimeout(() => (views = null), 5_000)
    }
    views.then(reset, () => (views = null))
  }
  return views
}

export async function findView(id: number): Promise<SavedView | null> {
  return (await listViews()).find((view) => view.id === id) ?? null
}

/** For tests. */
export function resetViews(): void {
  views = null
}
