/** The filter the heat map asks for: its own, narrowed by the dashboard's when it follows it. */
import type { PluginWidgetProps, TicketFilter } from '@deskboard/sdk'

function compact(filter: unknown): TicketFilter {
  if (typeof filter !== 'object' || filter === null || Array.isArray(filter)) return {}
  return Object.fromEntries(
    Object.entries(filter).filter(
      ([, value]) => value !== null && value !== undefined && value !== '' && !(Array.isArray(value) && value.length === 0),
    ),
  )
}

export function effectiveFilter(props: Pick<PluginWidgetProps, 'settings' | 'filter'>): TicketFilter {
  const own = compact(props.settings.filters)
  return props.settings.follow_filter_panel === true ? { ...own, ...compact(props.filter) } : own
}
