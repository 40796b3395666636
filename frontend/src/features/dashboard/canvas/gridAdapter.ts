/**
 * The thin adapter between gridstack and the layout store. gridstack owns the grid's DOM and
 * compares its own node objects, so its instance never enters Vue's reactivity: the canvas holds
 * this adapter in a plain variable. The store's widgets go in through `render()`; what the person
 * does comes out as one callback per gesture (`onGeometry` per drag/resize, `onDrop` per card
 * dropped from the gallery). Widget contents are teleported by Vue into `contentElement(id)`.
 */
import { GridStack } from 'gridstack'
import type { GridItemHTMLElement, GridStackNode, GridStackOptions } from 'gridstack'
import type { Geometry } from '../state/types'
import {
  desktopLayoutForPhoneOrder,
  geometryChanges,
  readingOrder,
  sameRect,
  sizeBounds,
  stackedForPhone,
  type Rect,
  type SizeLimits,
} from './layoutMath'
import { widgetAriaLabel } from './keyboard'

export interface CanvasItem extends Geometry {
  type: string
  title: string
  limits?: SizeLimits
}

export interface AdapterCallbacks {
  /** One call per finished drag or resize, with every widget whose geometry changed. */
  onGeometry(changes: Geometry[]): void
  /** A gallery card of `type` was dropped at `at`. */
  onDrop(type: string, at: Rect): void
  /** The set of grid item elements changed (Vue teleports widget contents into them). */
  onItems(contents: ReadonlyMap<string, HTMLElement>): void
}

export interface AdapterOptions {
  columns: number
  rowHeight: number
  editing: boolean
  phone: boolean
}

/** Attribute a gallery card carries so the grid accepts it and knows what it adds. */
export const GALLERY_TYPE_ATTR = 'data-gallery-type'
export const DRAG_HANDLE_CLASS = 'widget-drag-handle'

function geometryOf(node: GridStackNode): Geometry {
  return { id: String(node.id), x: node.x ?? 0, y: node.y ?? 0, w: node.w ?? 1, h: node.h ?? 1 }
}

export class GridAdapter {
  private readonly grid: GridStack
  private readonly columns: number
  private items: CanvasItem[] = []
  private phone: boolean
  /** Id of the widget being dragged or resized by pointer, until its gesture is committed. */
  private gesture: string | null = null
  private readonly contents = new Map<string, HTMLElement>()

  constructor(
    el: HTMLElement,
    options: AdapterOptions,
    private readonly callbacks: AdapterCallbacks,
  ) {
    this.columns = options.columns
    this.phone = options.phone
    const gridOptions: GridStackOptions = {
      column: options.phone ? 1 : options.columns,
      cellHeight: options.rowHeight,
      margin: 6,
      mode: 'top',
      animate: true,
      staticGrid: !options.editing,
      handle: `.${DRAG_HANDLE_CLASS}`,
      draggable: { handle: `.${DRAG_HANDLE_CLASS}`, appendTo: 'body', scroll: true },
      resizable: { handles: 'e,se,s,sw,w' },
      alwaysShowResizeHandle: 'mobile',
      acceptWidgets: (item: Element) => item.hasAttribute(GALLERY_TYPE_ATTR),
      placeholderClass: 'grid-stack-placeholder',
      minRow: 4,
    }
    const grid = GridStack.init(gridOptions, el)
    if (!grid) throw new Error('gridstack could not start on the canvas element')
    this.grid = grid
    this.hookEvents()
  }

  /** Show these widgets (the store's layout, or a keyboard preview of it). */
  render(items: readonly CanvasItem[]): void {
    this.items = [...items]
    // Mid-gesture, a store update (a save being acknowledged, a remote merge) would snap the item
    // under the pointer back to its stored place and lose the gesture. Keep the newest items; the
    // gesture's end renders them (commitGesture).
    if (this.gesture !== null) return
    const shown = this.phone ? stackedForPhone(items) : items
    const byId = new Map(items.map((item) => [item.id, item]))
    const grid = this.grid
    let membershipChanged = false
    grid.batchUpdate()
    for (const node of [...grid.engine.nodes]) {
      if (!byId.has(String(node.id)) && node.el) {
        grid.removeWidget(node.el, true, false)
        this.contents.delete(String(node.id))
        membershipChanged = true
      }
    }
    const nodes = new Map(grid.engine.nodes.map((node) => [String(node.id), node]))
    for (const place of shown) {
      const item = byId.get(place.id)
      if (!item) continue
      const node = nodes.get(place.id)
      const bounds = !this.phone && item.limits ? sizeBounds(item.limits) : {}
      if (!node?.el) {
        const el = grid.addWidget({ id: place.id, x: place.x, y: place.y, w: place.w, h: place.h, ...bounds })
        const content = el?.querySelector<HTMLElement>('.grid-stack-item-content')
        if (content) this.contents.set(place.id, content)
        membershipChanged = true
      } else if (!sameRect(geometryOf(node), place)) {
        grid.update(node.el, { x: place.x, y: place.y, w: place.w, h: place.h })
      }
    }
    grid.batchUpdate(false)
    for (const item of items) this.decorate(item)
    if (membershipChanged) this.callbacks.onItems(new Map(this.contents))
  }

  setEditing(editing: boolean): void {
    this.grid.setStatic(!editing)
    if (editing) this.refreshHandles()
  }

  /** Switch between the desktop grid and the phone's single stacked column. */
  setPhone(phone: boolean): void {
    if (phone === this.phone) return
    this.phone = phone
    const items = this.items
    // Rebuild rather than let gridstack rescale: the phone shows our own stacking, and the size
    // limits of the desktop do not apply to one column. Vue re-teleports the contents.
    this.grid.removeAll(true, false)
    this.contents.clear()
    this.grid.column(phone ? 1 : this.columns, 'none')
    this.items = []
    this.render(items)
  }

  /** Re-scan drag handles after Vue rendered widget headers into new items. */
  refreshHandles(): void {
    for (const node of this.grid.engine.nodes) if (node.el) this.grid.refreshDragHandles(node.el)
  }

  /** Grid item element of a widget (focus, scroll into view). */
  itemElement(id: string): HTMLElement | undefined {
    return this.grid.engine.nodes.find((node) => String(node.id) === id)?.el
  }

  isPhone(): boolean {
    return this.phone
  }

  destroy(): void {
    this.grid.offAll()
    this.grid.destroy(false)
    this.contents.clear()
  }

  private decorate(item: CanvasItem): void {
    const el = this.itemElement(item.id)
    if (!el) return
    el.dataset.testid = `widget-${item.id}`
    el.dataset.widgetType = item.type
    el.tabIndex = 0
    el.setAttribute('role', 'group')
    el.setAttribute('aria-roledescription', 'widget')
    el.setAttribute('aria-label', widgetAriaLabel(item.title, item))
  }

  private hookEvents(): void {
    const grid = this.grid
    const begin = (_event: Event, el: GridItemHTMLElement) => {
      this.gesture = el.gridstackNode?.id != null ? String(el.gridstackNode.id) : null
    }
    // 'change' follows 'dragstop'/'resizestop' synchronously; the microtask catches gestures
    // that ended where they began (no 'change' at all) so the flag never leaks into later updates.
    const end = () => queueMicrotask(() => this.commitGesture())
    grid.on('dragstart', begin)
    grid.on('resizestart', begin)
    grid.on('dragstop', end)
    grid.on('resizestop', end)
    grid.on('change', () => this.commitGesture())
    grid.on('dropped', (_event: Event, _previous: GridStackNode | undefined, node: GridStackNode) => {
      const el = node.el
      const type = el?.getAttribute(GALLERY_TYPE_ATTR)
      if (!el || !type) return
      const at = { x: node.x ?? 0, y: node.y ?? 0, w: node.w ?? 1, h: node.h ?? 1 }
      // The dropped clone is gridstack's temporary item: remove it once gridstack has finished
      // its drop handling, and let the store add the real widget (which re-renders here).
      queueMicrotask(() => {
        grid.removeWidget(el, true, false)
        this.callbacks.onDrop(type, at)
      })
    })
  }

  /** Turn the finished gesture into one geometry change of the desktop layout. */
  private commitGesture(): void {
    const id = this.gesture
    if (id === null) return
    this.gesture = null
    const nodes = this.grid.engine.nodes.filter((node) => !node.el?.hasAttribute(GALLERY_TYPE_ATTR))
    let next: Geometry[]
    if (this.phone) {
      const order = readingOrder(nodes.map(geometryOf)).map((g) => g.id)
      const unchanged = stackedForPhone(this.items).every((g, i) => g.id === order[i])
      const before = order[order.indexOf(id) + 1] ?? null
      next = unchanged ? this.items : desktopLayoutForPhoneOrder(this.items, id, before, this.columns)
    } else {
      next = nodes.map(geometryOf)
    }
    const changes = geometryChanges(this.items, next)
    if (changes.length > 0) this.callbacks.onGeometry(changes)
    // The store re-renders what it took (with any update that arrived during the gesture);
    // a gesture that changed nothing shows the stored layout again.
    else this.render(this.items)
  }
}
