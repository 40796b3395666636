/**
 * Drill-down: a figure's filter (as the analytics API returns it) opens the ticket list page with
 * exactly that filter, so the number clicked and the rows listed agree.
 */
import { useRouter, type RouteLocationRaw } from 'vue-router'
import type { TicketFilter } from './tickets'

export function drillDownLocation(filter: TicketFilter, count?: number): RouteLocationRaw {
  const query: Record<string, string> = { filter: JSON.stringify(filter) }
  if (typeof count === 'number') query.count = String(count)
  return { path: '/tickets', query }
}

/** A function that opens the drill-down list, or does nothing for a figure without a filter. */
export function useDrillDown(): (filter: TicketFilter | null | undefined, count?: number) => void {
  const router = useRouter()
  return (filter, count) => {
    if (!filter) return
    void router.push(drillDownLocation(filter, count))
  }
}
