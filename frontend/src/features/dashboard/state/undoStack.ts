import type { WidgetPlacement } from './types'
import { UNDO_LIMIT } from './types'

/** Undo/redo over widget lists; the newest `limit` edits are kept. */
export class UndoStack {
  private past: WidgetPlacement[][] = []
  private future: WidgetPlacement[][] = []

  constructor(private readonly limit: number = UNDO_LIMIT) {}

  get canUndo(): boolean {
    return this.past.length > 0
  }

  get canRedo(): boolean {
    return this.future.length > 0
  }

  /** Remember the widgets as they were before an edit; a new edit clears the redo side. */
  record(before: WidgetPlacement[]): void {
    this.past.push(before)
    if (this.past.length > this.limit) this.past.shift()
    this.future = []
  }

  undo(current: WidgetPlacement[]): WidgetPlacement[] | null {
    const previous = this.past.pop()
    if (!previous) return null
    this.future.push(current)
    return previous
  }

  redo(current: WidgetPlacement[]): WidgetPlacement[] | null {
    const next = this.future.pop()
    if (!next) return null
    this.past.push(current)
    return next
  }

  clear(): void {
    this.past = []
    this.future = []
  }
}
