/**
 * Adding a widget from the gallery: by click/Enter at the first free spot, or by drop at a spot
 * (other widgets make room, as gridstack showed while dragging). Required settings get a value
 * at once so the server accepts the layout.
 */
import type { Geometry } from './state/types'
import { layoutAfterInsert, type Rect } from './canvas/layoutMath'
import { defaultSettings } from './settings/defaults'
import type { useLayoutStore } from './layoutStore'

type LayoutStore = ReturnType<typeof useLayoutStore>

export function addWidgetOfType(store: LayoutStore, type: string, at?: Rect): string {
  const doc = store.document
  const info = store.catalogueEntry(type)
  if (!doc || !info) throw new Error(`Cannot add a widget of type ${type}`)
  let placement: Rect | undefined
  if (at) {
    const geometry: Geometry[] = doc.widgets.map(({ id, x, y, w, h }) => ({ id, x, y, w, h }))
    const { placed, moved } = layoutAfterInsert(geometry, at, doc.grid.columns)
    if (moved.length > 0) store.applyGeometry(moved)
    placement = placed
  }
  const id = store.addWidget(type, placement)
  const current = store.document?.widgets.find((w) => w.id === id)?.settings ?? {}
  const missing = Object.entries(defaultSettings(info.settings_schema)).filter(([name]) => !(name in current))
  if (missing.length > 0) store.updateSettings(id, { ...current, ...Object.fromEntries(missing) })
  return id
}
