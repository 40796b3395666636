/**
 * Keyboard move and resize (no grid library offers it): Enter or Space picks a widget up, arrows
 * move it one cell, Shift+arrows resize it, Enter drops, Escape cancels. Pure functions, so the
 * rules are unit-tested; the canvas only applies the layouts they return.
 */
import type { Geometry } from '../state/types'
import { clampRect, layoutAfterMove, sameRect, type Rect, type SizeLimits } from './layoutMath'

export type KeyIntent =
  | { kind: 'pickup' }
  | { kind: 'drop' }
  | { kind: 'cancel' }
  | { kind: 'move'; dx: number; dy: number }
  | { kind: 'resize'; dw: number; dh: number }

const ARROWS: Record<string, [number, number]> = {
  ArrowLeft: [-1, 0],
  ArrowRight: [1, 0],
  ArrowUp: [0, -1],
  ArrowDown: [0, 1],
}

/** What a key press means, given whether a widget is being carried; null when it means nothing. */
export function intentForKey(key: string, shiftKey: boolean, carrying: boolean): KeyIntent | null {
  if (!carrying) return key === 'Enter' || key === ' ' ? { kind: 'pickup' } : null
  if (key === 'Enter' || key === ' ') return { kind: 'drop' }
  if (key === 'Escape') return { kind: 'cancel' }
  const arrow = ARROWS[key]
  if (!arrow) return null
  const [a, b] = arrow
  return shiftKey ? { kind: 'resize', dw: a, dh: b } : { kind: 'move', dx: a, dy: b }
}

/**
 * The layout after one arrow press on widget `id`. A move down into a compacted column would be
 * pulled straight back up by gravity, so it keeps stepping until the widget really changes place
 * (it then hops over the widget below), or returns the layout unchanged at the edge.
 */
export function layoutAfterKey(
  layout: readonly Geometry[],
  id: string,
  intent: Extract<KeyIntent, { kind: 'move' | 'resize' }>,
  columns: number,
  limits?: SizeLimits,
): Geometry[] {
  const current = layout.find((g) => g.id === id)
  if (!current) return [...layout]
  const bottom = layout.reduce((max, g) => Math.max(max, g.y + g.h), 0)
  const tries = intent.kind === 'move' && intent.dy > 0 ? Math.max(1, bottom - current.y) : 1
  for (let step = 1; step <= tries; step++) {
    const wanted: Rect =
      intent.kind === 'move'
        ? { x: current.x + intent.dx * step, y: current.y + intent.dy * step, w: current.w, h: current.h }
        : { x: current.x, y: current.y, w: current.w + intent.dw, h: current.h + intent.dh }
    const target = clampRect(wanted, columns, limits)
    if (sameRect(target, current)) return [...layout]
    const next = layoutAfterMove(layout, id, target, columns)
    const moved = next.find((g) => g.id === id)
    if (moved && !sameRect(moved, current)) return next
  }
  return [...layout]
}

/** The sentence the live region reads after each step. */
export function describePosition(title: string, g: Rect, picked: boolean): string {
  const where = `column ${g.x + 1}, row ${g.y + 1}, width ${g.w}, height ${g.h}`
  return picked ? `${title} picked up: ${where}` : `${title}: ${where}`
}

/** The widget's accessible name (tests and screen readers rely on this exact shape). */
export function widgetAriaLabel(title: string, g: Rect): string {
  return `Widget ${title}, column ${g.x + 1}, row ${g.y + 1}, width ${g.w}, height ${g.h}`
}
