import type { WidgetPlacement, WidgetTypeInfo } from './state/types'
import { KIND_TITLES, chartKind } from '@/widgets/chart/model'
import { METRIC_LABELS, isMetric } from '@/widgets/kpi/metrics'

type Settings = Record<string, unknown>

/**
 * Titles a widget without a title of its own takes from what it shows: a KPI is named by its
 * metric ("Open tickets", not "KPI"), a chart by its kind ("Tickets by priority"). The defaults
 * are the widgets' own (the KPI counts "open" and a chart draws "by-status" when unset).
 */
const DEFAULT_TITLES: Record<string, (settings: Settings) => string | null> = {
  kpi: (settings) => METRIC_LABELS[isMetric(settings.metric) ? settings.metric : 'open'],
  chart: (settings) => KIND_TITLES[chartKind(settings.kind)],
}

/** The title a widget's frame shows: its title setting, else one derived from its settings, else its type's title, else the type. */
export function widgetTitle(widget: WidgetPlacement, info: WidgetTypeInfo | undefined): string {
  const settings = widget.settings ?? {}
  const title = settings.title
  if (typeof title === 'string' && title.trim()) return title.trim()
  return DEFAULT_TITLES[widget.type]?.(settings) ?? info?.title ?? widget.type
}

/** A human name for a widget (as its frame shows it), looked up in the catalogue. */
export function widgetLabel(widget: WidgetPlacement, catalogue: readonly WidgetTypeInfo[]): string {
  return widgetTitle(widget, catalogue.find((entry) => entry.type === widget.type))
}

/** What differs between two states of one widget, in words ("moved", "resized", "settings"). */
export function describeChange(before: WidgetPlacement | undefined, after: WidgetPlacement | undefined): string {
  if (!before && after) return 'added'
  if (before && !after) return 'removed'
  if (!before || !after) return 'unchanged'
  const changes: string[] = []
  if (before.x !== after.x || before.y !== after.y) changes.push('moved')
  if (before.w !== after.w || before.h !== after.h) changes.push('resized')
  changes.push(...describeSettings(before.settings ?? {}, after.settings ?? {}))
  return changes.length ? changes.join(', ') : 'unchanged'
}

const SETTING_NAMES: Record<string, string> = { markdown: 'text', page_size: 'page size', range_days: 'range' }

/** The settings that differ, with their new value when it is short: `title “Open”`, `filters changed`. */
function describeSettings(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()
  const changed = keys.filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]))
  if (changed.length > 3) return ['settings changed']
  return changed.map((key) => {
    const name = SETTING_NAMES[key] ?? key.replace(/_/g, ' ')
    const value = after[key]
    if (value === undefined) return `${name} cleared`
    if (typeof value === 'string' && value.length <= 40 && !value.includes('\n')) return `${name} “${value}”`
    if (typeof value === 'number' || typeof value === 'boolean') return `${name} ${String(value)}`
    return `${name} changed`
  })
}
