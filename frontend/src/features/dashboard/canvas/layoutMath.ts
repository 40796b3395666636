/**
 * Pure layout arithmetic for the canvas: the keyboard, the phone reorder and the gallery drop all
 * ask "what does the grid look like if this widget goes there?". gridstack's own engine answers
 * that headlessly (no DOM), so the keyboard obeys exactly the same push-and-compact rules as a
 * mouse drag.
 */
import { GridStackEngine } from 'gridstack/dist/gridstack-engine'
import type { GridStackNode } from 'gridstack/dist/types'
import type { Geometry, Size } from '../state/types'

export interface Rect {
  x: number
  y: number
  w: number
  h: number
}

export interface SizeLimits {
  min: Size
  max: Size
}

export function sameRect(a: Rect, b: Rect): boolean {
  return a.x === b.x && a.y === b.y && a.w === b.w && a.h === b.h
}

function toNode(g: Geometry, limits?: SizeLimits): GridStackNode {
  const node: GridStackNode = { id: g.id, x: g.x, y: g.y, w: g.w, h: g.h }
  if (limits) Object.assign(node, sizeBounds(limits))
  return node
}

export function sizeBounds(limits: SizeLimits): Pick<GridStackNode, 'minW' | 'minH' | 'maxW' | 'maxH'> {
  return { minW: limits.min.w, minH: limits.min.h, maxW: limits.max.w, maxH: limits.max.h }
}

function toGeometry(node: GridStackNode): Geometry {
  return { id: String(node.id), x: node.x ?? 0, y: node.y ?? 0, w: node.w ?? 1, h: node.h ?? 1 }
}

/** Reading order: top to bottom, then left to right (also the phone's stacking order). */
export function readingOrder<T extends Rect>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => a.y - b.y || a.x - b.x)
}

/** The widgets of `next` whose geometry differs from the one in `current` (matched by id). */
export function geometryChanges(current: readonly Geometry[], next: readonly Geometry[]): Geometry[] {
  const before = new Map(current.map((g) => [g.id, g]))
  return next.filter((g) => {
    const old = before.get(g.id)
    return old !== undefined && !sameRect(old, g)
  })
}

/** Load widgets into a headless engine with top gravity, as the canvas does. */
function engineFor(widgets: readonly Geometry[], columns: number): GridStackEngine {
  const engine = new GridStackEngine({ column: columns, mode: 'top' })
  engine.batchUpdate()
  readingOrder(widgets).forEach((g) => engine.addNode(toNode(g)))
  engine.batchUpdate(false)
  return engine
}

/** The whole layout once gravity has pulled every widget up (what gridstack shows on load). */
export function compacted(widgets: readonly Geometry[], columns: number): Geometry[] {
  return engineFor(widgets, columns).nodes.map(toGeometry)
}

/**
 * The layout after putting widget `id` at `target`: others are pushed out of the way and the
 * grid compacts, exactly as gridstack does for a mouse drag.
 */
export function layoutAfterMove(
  widgets: readonly Geometry[],
  id: string,
  target: Rect,
  columns: number,
): Geometry[] {
  const engine = engineFor(widgets, columns)
  const node = engine.nodes.find((n) => n.id === id)
  if (!node) return engine.nodes.map(toGeometry)
  engine.moveNode(node, { ...target, pack: true })
  return engine.nodes.map(toGeometry)
}

/**
 * The layout after a new widget lands at `at` (from a gallery drop): others make room.
 * Returns where the new widget ended up and how the existing ones moved.
 */
export function layoutAfterInsert(
  widgets: readonly Geometry[],
  at: Rect,
  columns: number,
): { placed: Rect; moved: Geometry[] } {
  const engine = engineFor(widgets, columns)
  const newcomer: GridStackNode = { id: '__newcomer__', ...at }
  engine.addNode(newcomer)
  const all = engine.nodes.map(toGeometry)
  const placed = all.find((g) => g.id === '__newcomer__') ?? { id: '', ...at }
  return {
    placed: { x: placed.x, y: placed.y, w: placed.w, h: placed.h },
    moved: geometryChanges(widgets, all.filter((g) => g.id !== '__newcomer__')),
  }
}

/** Keep a rectangle inside the grid and the widget type's size limits. */
export function clampRect(rect: Rect, columns: number, limits?: SizeLimits): Rect {
  const minW = Math.min(limits?.min.w ?? 1, columns)
  const maxW = Math.min(limits?.max.w ?? columns, columns)
  const minH = limits?.min.h ?? 1
  const maxH = limits?.max.h ?? Number.POSITIVE_INFINITY
  const w = Math.min(Math.max(rect.w, minW), maxW)
  const h = Math.min(Math.max(rect.h, minH), maxH)
  const x = Math.min(Math.max(rect.x, 0), columns - w)
  const y = Math.max(rect.y, 0)
  return { x, y, w, h }
}

/**
 * Stack widgets for a one-column phone view: reading order, full width, heights kept.
 * The stored (12-column) layout is not touched.
 */
export function stackedForPhone(widgets: readonly Geometry[]): Geometry[] {
  let y = 0
  return readingOrder(widgets).map((g) => {
    const stacked = { id: g.id, x: 0, y, w: 1, h: g.h }
    y += g.h
    return stacked
  })
}

/**
 * Turn a reorder on the phone (widget `id` now sits before `beforeId`, or last when null) into
 * a change of the desktop layout: the widget takes the row of the one it now precedes, keeps its
 * column, and the rest make room.
 */
export function desktopLayoutForPhoneOrder(
  widgets: readonly Geometry[],
  id: string,
  beforeId: string | null,
  columns: number,
): Geometry[] {
  const moving = widgets.find((g) => g.id === id)
  if (!moving) return [...widgets]
  const others = widgets.filter((g) => g.id !== id)
  const anchor = beforeId ? others.find((g) => g.id === beforeId) : undefined
  const bottom = others.reduce((max, g) => Math.max(max, g.y + g.h), 0)
  const target = anchor
    ? { x: anchor.x, y: anchor.y, w: moving.w, h: moving.h }
    : { x: 0, y: bottom, w: moving.w, h: moving.h }
  const clamped = clampRect(target, columns)
  return layoutAfterMove(widgets, id, clamped, columns)
}
