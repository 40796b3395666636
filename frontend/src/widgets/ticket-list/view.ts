/** Saved views (`/api/views`): a ticket-list widget may show one (its filter, columns and sort) or save itself as one. */
import { api } from '@/api'
import type { TicketFilter } from '../shared/tickets'

export interface SavedView {
  id: number
  name: string
  filter: TicketFilter
  columns: string[]
  sort: string
  shared?: boolean
  owner?: { id: number; name: string }
  editable?: boolean
}

export interface NewView {
  name: string
  filter: TicketFilter
  columns: string[]
  sort: string
  shared: boolean
}

let views: Promise<SavedView[]> | null = null

/** The views the caller may see: their own, then (staff) the team's shared ones. Cached briefly: several lists on one dashboard ask at once. */
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

/** Save a view; the next listViews() asks the server again, so pickers see it at once. */
export async function createView(view: NewView): Promise<SavedView> {
  const created = await api.post<SavedView>('/api/views', view)
  views = null
  return created
}

/** How a view is named in a picker: shared ones say so, and whose they are when not the reader's. */
export function viewLabel(view: SavedView, readerId: number | null): string {
  if (!view.shared) return view.name
  if (view.owner && view.owner.id !== readerId) return `${view.name} (shared by ${view.owner.name})`
  return `${view.name} (shared)`
}

/** For tests. */
export function resetViews(): void {
  views = null
}
