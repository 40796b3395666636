import { findFreeSpot, newWidgetId, overlaps } from './grid'
import type { GridSpec, LayoutDocument, WidgetPlacement } from './types'

/**
 * Three-way merge of layout documents at widget level.
 * base = the version the local edits started from, mine = the local document,
 * theirs = the server's current document. A widget changed on one side only takes that side;
 * changed identically on both sides is fine; changed differently on both sides is a conflict.
 */

export type ConflictPolicy = 'report' | 'mine' | 'theirs' | 'copy'

export interface MergeResult {
  /** The merged document, with `version` = theirs' (ready to PUT on top of theirs). */
  doc: LayoutDocument
  /** Widgets both sides changed differently (empty when the merge was automatic). */
  conflicts: string[]
}

export function sameWidget(a: WidgetPlacement | undefined, b: WidgetPlacement | undefined): boolean {
  if (a === b) return true
  if (!a || !b) return false
  return (
    a.type === b.type &&
    a.x === b.x &&
    a.y === b.y &&
    a.w === b.w &&
    a.h === b.h &&
    (a.type_version ?? null) === (b.type_version ?? null) &&
    stableJson(a.settings) === stableJson(b.settings)
  )
}

export function sameGrid(a: GridSpec, b: GridSpec): boolean {
  return a.columns === b.columns && a.row_height === b.row_height
}

/** JSON with sorted keys, so settings compare by content rather than key order. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (inner && typeof inner === 'object' && !Array.isArray(inner)) {
      return Object.fromEntries(
        Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
      )
    }
    return inner
  })
}

function byId(widgets: readonly WidgetPlacement[] | undefined): Map<string, WidgetPlacement> {
  return new Map((widgets ?? []).map((widget) => [widget.id, widget]))
}

/** The ids whose widget differs between mine and theirs relative to base in incompatible ways. */
export function conflictingWidgets(
  base: LayoutDocument | null,
  mine: LayoutDocument,
  theirs: LayoutDocument,
): string[] {
  return merge(base, mine, theirs, 'report').conflicts
}

export function merge(
  base: LayoutDocument | null,
  mine: LayoutDocument,
  theirs: LayoutDocument,
  policy: ConflictPolicy = 'report',
): MergeResult {
  const baseMap = byId(base?.widgets)
  const mineMap = byId(mine.widgets)
  const theirsMap = byId(theirs.widgets)
  const conflicts: string[] = []
  const fromMine = new Set<string>() // ids whose merged state came from the local side
  const chosen = new Map<string, WidgetPlacement | undefined>()
  const copies: WidgetPlacement[] = []

  // Theirs' order first, then what only mine has, so the server's arrangement stays familiar;
  // ids only base has (removed on both sides) are visited too, and drop out.
  const ids = [...theirsMap.keys(), ...[...mineMap.keys()].filter((id) => !theirsMap.has(id))]
  const allIds = [...ids, ...[...baseMap.keys()].filter((id) => !theirsMap.has(id) && !mineMap.has(id))]
  for (const id of allIds) {
    const b = baseMap.get(id)
    const m = mineMap.get(id)
    const t = theirsMap.get(id)
    const mineChanged = !sameWidget(b, m)
    const theirsChanged = !sameWidget(b, t)
    if (!mineChanged) {
      chosen.set(id, t)
    } else if (!theirsChanged || sameWidget(m, t)) {
      chosen.set(id, m)
      if (m) fromMine.add(id)
    } else {
      conflicts.push(id)
      if (policy === 'mine') {
        chosen.set(id, m)
        if (m) fromMine.add(id)
      } else if (policy === 'copy') {
        chosen.set(id, t)
        if (m) copies.push(m)
      } else {
        // 'theirs', and 'report' (a preview on theirs; the caller decides before saving).
        chosen.set(id, t)
      }
    }
  }

  const kept: WidgetPlacement[] = []
  for (const id of ids) {
    const widget = chosen.get(id)
    if (widget) kept.push(widget)
  }

  const grid = sameGrid(base?.grid ?? theirs.grid, mine.grid) ? theirs.grid : mine.grid
  let widgets = separateOverlaps(kept, fromMine, grid)
  for (const copy of copies) {
    const id = newWidgetId(widgets.map((w) => w.id))
    const spot = findFreeSpot(widgets, copy, grid)
    widgets = [...widgets, { ...structuredClone(copy), id, ...spot }]
  }

  return {
    doc: { ...theirs, grid, widgets },
    conflicts,
  }
}

/**
 * Two non-conflicting edits can still land on the same cells (I moved A where they added B).
 * Widgets that came from the server stay put; local ones that overlap move to a free spot.
 */
export function separateOverlaps(
  widgets: readonly WidgetPlacement[],
  movable: ReadonlySet<string>,
  grid: GridSpec,
): WidgetPlacement[] {
  const fixed = widgets.filter((w) => !movable.has(w.id))
  const placed: WidgetPlacement[] = [...fixed]
  const result = new Map<string, WidgetPlacement>(fixed.map((w) => [w.id, w]))
  for (const widget of widgets.filter((w) => movable.has(w.id))) {
    if (placed.some((other) => overlaps(widget, other))) {
      const spot = findFreeSpot(placed, widget, grid)
      const moved = { ...widget, ...spot }
      placed.push(moved)
      result.set(widget.id, moved)
    } else {
      placed.push(widget)
      result.set(widget.id, widget)
    }
  }
  return widgets.map((w) => result.get(w.id) ?? w)
}
