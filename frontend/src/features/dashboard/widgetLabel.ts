import type { WidgetPlacement, WidgetTypeInfo } from './state/types'

/** A human name for a widget: its title setting, else its type's title, else the type. */
export function widgetLabel(widget: WidgetPlacement, catalogue: readonly WidgetTypeInfo[]): string {
  const title = widget.settings?.title
  if (typeof title === 'string' && title.trim()) return title.trim()
  return catalogue.find((entry) => entry.type === widget.type)?.title ?? widget.type
}

/** What differs between two states of one widget, in words ("moved", "resized", "settings"). */
export function describeChange(before: WidgetPlacement | undefined, after: WidgetPlacement | undefined): string {
  if (!before && after) return 'added'
  if (before && !after) return 'removed'
  if (!before || !after) return 'unchanged'
  const changes: string[] = []
  if (before.x !== after.x || before.y !== after.y) changes.push('moved')
  if (before.w !== after.w || before.h !== after.h) changes.push('resized')
  if (JSON.stringify(before.settings) !== JSON.stringify(after.settings)) changes.push('settings changed')
  return changes.length ? changes.join(', ') : 'unchanged'
}
