/**
 * The dashboard's filter panel state (cross-widget filtering, as dashboard variables do in
 * Grafana): the filter-panel widget writes it, every widget whose settings have
 * `follow_filter_panel: true` narrows its own filter by it.
 */
import { defineStore } from 'pinia'
import { computed, ref, type ComputedRef } from 'vue'
import type { WidgetPlacement } from '@/features/dashboard/state/types'
import { loadSavedFilter, saveFilter } from './filterStorage'
import { compactFilter, type TicketFilter } from './tickets'

export const useDashboardFilterStore = defineStore('dashboardFilter', () => {
  // Restored before any widget reads it, so followers load narrowed from the start after a reload.
  const filter = ref<TicketFilter>(loadSavedFilter())
  const active = computed(() => Object.keys(filter.value).length > 0)

  function set(next: TicketFilter): void {
    filter.value = compactFilter(next)
  }

  function clear(): void {
    filter.value = {}
  }

  /** Sign-out: the next person in this tab starts unfiltered. */
  function reset(): void {
    clear()
    saveFilter({})
  }

  return { filter, active, set, clear, reset }
})

/** A widget's own filter narrowed by the panel's set fields (the server's TicketFilter.merged). */
export function mergeFilters(own: TicketFilter, panel: TicketFilter): TicketFilter {
  return compactFilter({ ...compactFilter(own), ...compactFilter(panel) })
}

/** The filter a ticket-reading widget should use right now. */
export function useEffectiveFilter(widget: () => WidgetPlacement): ComputedRef<TicketFilter> {
  const panel = useDashboardFilterStore()
  return computed(() => {
    const settings = widget().settings
    const own = compactFilter(settings.filters)
    return settings.follow_filter_panel === true ? mergeFilters(own, panel.filter) : own
  })
}
