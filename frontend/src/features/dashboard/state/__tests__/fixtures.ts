import type { LayoutDocument, WidgetPlacement } from '../types'

export function widget(id: string, x: number, y: number, w = 4, h = 2, settings: Record<string, unknown> = {}): WidgetPlacement {
  return { id, type: 'note', x, y, w, h, settings }
}

export function doc(version: number, widgets: WidgetPlacement[]): LayoutDocument {
  return {
    user_id: 1,
    version,
    schema_version: 1,
    updated_at: '2026-11-25T12:00:00Z',
    grid: { columns: 12, row_height: 80 },
    widgets,
  }
}

export function ids(document: LayoutDocument): string[] {
  return document.widgets.map((w) => w.id)
}

export function byId(document: LayoutDocument, id: string): WidgetPlacement | undefined {
  return document.widgets.find((w) => w.id === id)
}

/** True when no two widgets of the document share a cell. */
export function noOverlaps(document: LayoutDocument): boolean {
  const list = document.widgets
  for (let i = 0; i < list.length; i++) {
    for (let j = i + 1; j < list.length; j++) {
      const a = list[i]!
      const b = list[j]!
      if (a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h) return false
    }
  }
  return true
}
