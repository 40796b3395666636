import type { GridSpec, Size, WidgetPlacement } from './types'

type Rect = Pick<WidgetPlacement, 'x' | 'y' | 'w' | 'h'>

export function overlaps(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
}

/** The first free spot (top to bottom, left to right) where a w×h box fits without overlap. */
export function findFreeSpot(
  widgets: readonly Rect[],
  size: Size,
  grid: GridSpec,
): { x: number; y: number } {
  const w = Math.min(Math.max(1, size.w), grid.columns)
  const h = Math.max(1, size.h)
  const bottom = widgets.reduce((max, item) => Math.max(max, item.y + item.h), 0)
  for (let y = 0; y <= bottom; y++) {
    for (let x = 0; x + w <= grid.columns; x++) {
      const candidate = { x, y, w, h }
      if (!widgets.some((item) => overlaps(candidate, item))) return { x, y }
    }
  }
  return { x: 0, y: bottom }
}

/** A widget id unique in the document: short, readable, and safe in a data-testid. */
export function newWidgetId(taken: Iterable<string>): string {
  const used = new Set(taken)
  for (;;) {
    const id = `w${Math.random().toString(36).slice(2, 8)}`
    if (!used.has(id)) return id
  }
}

/** Clamp a rectangle inside the grid's columns. */
export function clampToGrid<T extends Rect>(rect: T, grid: GridSpec): T {
  const w = Math.min(Math.max(1, Math.round(rect.w)), grid.columns)
  const x = Math.min(Math.max(0, Math.round(rect.x)), grid.columns - w)
  return { ...rect, x, w, y: Math.max(0, Math.round(rect.y)), h: Math.max(1, Math.round(rect.h)) }
}
