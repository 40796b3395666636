/** Grouping and searching the widget catalogue for the gallery (pure, unit-tested). */
import type { WidgetTypeInfo } from '../state/types'

export interface CatalogueGroup {
  category: string
  label: string
  items: WidgetTypeInfo[]
}

const CATEGORY_ORDER = ['tickets', 'analytics', 'personal']

function label(category: string): string {
  return category ? category[0]!.toUpperCase() + category.slice(1) : 'Other'
}

/** Every word of the query must appear in the title, description, type or category. */
export function matches(info: WidgetTypeInfo, query: string): boolean {
  const haystack = `${info.title} ${info.description} ${info.type} ${info.category}`.toLowerCase()
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => haystack.includes(word))
}

export function groupCatalogue(catalogue: readonly WidgetTypeInfo[], query = ''): CatalogueGroup[] {
  const groups = new Map<string, WidgetTypeInfo[]>()
  for (const info of catalogue) {
    if (!matches(info, query)) continue
    const list = groups.get(info.category) ?? []
    list.push(info)
    groups.set(info.category, list)
  }
  const rank = (category: string) => {
    const index = CATEGORY_ORDER.indexOf(category)
    return index === -1 ? CATEGORY_ORDER.length : index
  }
  return [...groups.entries()]
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([category, items]) => ({ category, label: label(category), items }))
}
