import { clampToGrid, findFreeSpot, newWidgetId } from './grid'
import type { Geometry, LayoutDocument, Placement, WidgetPlacement, WidgetTypeInfo } from './types'
import { MAX_WIDGETS } from './types'

/** Pure edits of a layout document: each returns a new document and never mutates its input. */

export class EditError extends Error {}

function withWidgets(doc: LayoutDocument, widgets: WidgetPlacement[]): LayoutDocument {
  return { ...doc, widgets }
}

/**
 * A deep copy of JSON data. Not structuredClone: settings often come from Vue state (the settings
 * editor's draft, the reactive catalogue's schema defaults), and a reactive Proxy cannot be
 * structured-cloned (DataCloneError), while JSON reads through it. Layout documents are JSON.
 */
function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T
}

export function addWidget(
  doc: LayoutDocument,
  info: Pick<WidgetTypeInfo, 'type' | 'default_size'> & Partial<Pick<WidgetTypeInfo, 'min_size' | 'max_size'>>,
  at?: Placement,
  settings: Record<string, unknown> = {},
): { doc: LayoutDocument; id: string } {
  if (doc.widgets.length >= MAX_WIDGETS) throw new EditError(`At most ${MAX_WIDGETS} widgets fit on a dashboard`)
  const id = newWidgetId(doc.widgets.map((w) => w.id))
  const size = { w: at?.w ?? info.default_size.w, h: at?.h ?? info.default_size.h }
  const spot = at ? { x: at.x, y: at.y } : findFreeSpot(doc.widgets, size, doc.grid)
  const widget = clampToGrid({ id, type: info.type, ...spot, ...size, settings: clone(settings) }, doc.grid)
  return { doc: withWidgets(doc, [...doc.widgets, widget]), id }
}

export function applyGeometry(doc: LayoutDocument, changes: readonly Geometry[]): LayoutDocument {
  const byId = new Map(changes.map((change) => [change.id, change]))
  let changed = false
  const widgets = doc.widgets.map((widget) => {
    const change = byId.get(widget.id)
    if (!change) return widget
    const next = clampToGrid({ ...widget, x: change.x, y: change.y, w: change.w, h: change.h }, doc.grid)
    if (next.x === widget.x && next.y === widget.y && next.w === widget.w && next.h === widget.h) return widget
    changed = true
    return next
  })
  return changed ? withWidgets(doc, widgets) : doc
}

export function updateSettings(
  doc: LayoutDocument,
  id: string,
  settings: Record<string, unknown>,
): LayoutDocument {
  if (!doc.widgets.some((w) => w.id === id)) throw new EditError(`No widget ${id}`)
  return withWidgets(
    doc,
    doc.widgets.map((w) => (w.id === id ? { ...w, settings: clone(settings) } : w)),
  )
}

export function removeWidget(doc: LayoutDocument, id: string): LayoutDocument {
  if (!doc.widgets.some((w) => w.id === id)) throw new EditError(`No widget ${id}`)
  return withWidgets(
    doc,
    doc.widgets.filter((w) => w.id !== id),
  )
}

export function duplicateWidget(doc: LayoutDocument, id: string): { doc: LayoutDocument; id: string } {
  const source = doc.widgets.find((w) => w.id === id)
  if (!source) throw new EditError(`No widget ${id}`)
  if (doc.widgets.length >= MAX_WIDGETS) throw new EditError(`At most ${MAX_WIDGETS} widgets fit on a dashboard`)
  const copyId = newWidgetId(doc.widgets.map((w) => w.id))
  const spot = findFreeSpot(doc.widgets, source, doc.grid)
  const copy: WidgetPlacement = { ...clone(source), id: copyId, ...spot }
  return { doc: withWidgets(doc, [...doc.widgets, copy]), id: copyId }
}

/** The top-level `default` values of a settings JSON Schema (a new widget starts with them). */
export function defaultSettings(schema: Record<string, unknown> | undefined): Record<string, unknown> {
  const properties = schema?.properties
  if (!properties || typeof properties !== 'object') return {}
  const defaults: Record<string, unknown> = {}
  for (const [key, property] of Object.entries(properties as Record<string, unknown>)) {
    if (property && typeof property === 'object' && 'default' in property) {
      defaults[key] = clone((property as { default: unknown }).default)
    }
  }
  return defaults
}
