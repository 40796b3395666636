/**
 * The filter panel's choice, kept per tab (sessionStorage) so a reload keeps it; other tabs may
 * filter differently. Read by the store when created, written by the panel.
 */
import { compactFilter, type TicketFilter } from './tickets'

const STORAGE_KEY = 'deskboard.filterPanel'

export function loadSavedFilter(): TicketFilter {
  try {
    const text = sessionStorage.getItem(STORAGE_KEY)
    return text ? compactFilter(JSON.parse(text)) : {}
  } catch {
    return {}
  }
}

export function saveFilter(filter: TicketFilter): void {
  try {
    if (Object.keys(filter).length === 0) sessionStorage.removeItem(STORAGE_KEY)
    else sessionStorage.setItem(STORAGE_KEY, JSON.stringify(filter))
  } catch {
    // Storage blocked: the choice holds until the page is reloaded.
  }
}
