import { describe, expect, it } from 'vitest'
import { reactive } from 'vue'
import * as edits from '../edits'
import { findFreeSpot } from '../grid'
import { UndoStack } from '../undoStack'
import { byId, doc, ids, noOverlaps, widget } from './fixtures'

const note = { type: 'note', default_size: { w: 4, h: 2 } }

describe('layout edits', () => {
  it('adds a widget at the first free spot with its default size', () => {
    const start = doc(1, [widget('a', 0, 0), widget('b', 4, 0)])
    const { doc: next, id } = edits.addWidget(start, note)
    expect(byId(next, id)).toMatchObject({ type: 'note', x: 8, y: 0, w: 4, h: 2 })
    expect(start.widgets).toHaveLength(2) // input untouched
  })

  it('adds a widget where it was dropped, with the dropped size', () => {
    const { doc: next, id } = edits.addWidget(doc(1, []), note, { x: 3, y: 5, w: 6, h: 3 })
    expect(byId(next, id)).toMatchObject({ x: 3, y: 5, w: 6, h: 3 })
  })

  it('keeps a dropped widget inside the grid', () => {
    const { doc: next, id } = edits.addWidget(doc(1, []), note, { x: 10, y: -2 })
    expect(byId(next, id)).toMatchObject({ x: 8, y: 0, w: 4 })
  })

  it('takes settings that are Vue reactive state (the settings editor draft) and stores plain copies', () => {
    const draft = reactive({ title: 'Release notes', filters: { status: ['open'] } })
    const renamed = edits.updateSettings(doc(1, [widget('a', 0, 0)]), 'a', draft)
    expect(byId(renamed, 'a')?.settings).toEqual({ title: 'Release notes', filters: { status: ['open'] } })
    draft.filters.status.push('pending')
    expect(byId(renamed, 'a')?.settings).toEqual({ title: 'Release notes', filters: { status: ['open'] } })
    const added = edits.addWidget(doc(1, []), note, undefined, reactive({ columns: ['number'] }))
    expect(byId(added.doc, added.id)?.settings).toEqual({ columns: ['number'] })
  })

  it('gives every new widget a unique id', () => {
    let d = doc(1, [])
    const seen = new Set<string>()
    for (let i = 0; i < 50; i++) {
      const result = edits.addWidget(d, { type: 'note', default_size: { w: 1, h: 1 } })
      d = result.doc
      seen.add(result.id)
    }
    expect(seen.size).toBe(50)
    expect(noOverlaps(d)).toBe(true)
  })

  it('refuses the 101st widget', () => {
    const full = doc(1, Array.from({ length: 100 }, (_, i) => widget(`w${i}`, 0, i, 1, 1)))
    expect(() => edits.addWidget(full, note)).toThrow(edits.EditError)
  })

  it('applies geometry and returns the same document when nothing moved', () => {
    const start = doc(1, [widget('a', 0, 0), widget('b', 4, 0)])
    expect(edits.applyGeometry(start, [{ id: 'a', x: 0, y: 0, w: 4, h: 2 }])).toBe(start)
    const moved = edits.applyGeometry(start, [
      { id: 'a', x: 0, y: 2, w: 4, h: 2 },
      { id: 'b', x: 0, y: 0, w: 6, h: 2 },
    ])
    expect(byId(moved, 'a')).toMatchObject({ y: 2 })
    expect(byId(moved, 'b')).toMatchObject({ x: 0, w: 6 })
  })

  it('replaces settings, removes and duplicates', () => {
    const start = doc(1, [widget('a', 0, 0, 4, 2, { title: 'A' })])
    const renamed = edits.updateSettings(start, 'a', { title: 'B' })
    expect(byId(renamed, 'a')?.settings).toEqual({ title: 'B' })
    const { doc: twice, id } = edits.duplicateWidget(renamed, 'a')
    expect(byId(twice, id)).toMatchObject({ type: 'note', settings: { title: 'B' }, w: 4, h: 2 })
    expect(noOverlaps(twice)).toBe(true)
    expect(ids(edits.removeWidget(twice, 'a'))).toEqual([id])
    expect(() => edits.removeWidget(start, 'nope')).toThrow(edits.EditError)
  })

  it('reads defaults from a settings schema', () => {
    const schema = { type: 'object', properties: { title: { type: 'string', default: 'Notes' }, body: { type: 'string' } } }
    expect(edits.defaultSettings(schema)).toEqual({ title: 'Notes' })
    expect(edits.defaultSettings({})).toEqual({})
  })

  it('finds a free spot below everything when a row is full', () => {
    const grid = { columns: 12, row_height: 80 }
    expect(findFreeSpot([widget('a', 0, 0, 12, 3)], { w: 4, h: 2 }, grid)).toEqual({ x: 0, y: 3 })
    expect(findFreeSpot([widget('a', 0, 0, 4, 2), widget('b', 8, 0, 4, 2)], { w: 4, h: 2 }, grid)).toEqual({ x: 4, y: 0 })
    expect(findFreeSpot([widget('a', 0, 0, 4, 2), widget('b', 8, 0, 4, 2)], { w: 5, h: 2 }, grid)).toEqual({ x: 0, y: 2 })
  })
})

describe('undo stack', () => {
  it('undoes and redoes in order, and a new edit clears redo', () => {
    const stack = new UndoStack()
    const v0 = [widget('a', 0, 0)]
    const v1 = [widget('a', 0, 1)]
    const v2 = [widget('a', 0, 2)]
    stack.record(v0)
    stack.record(v1)
    expect(stack.undo(v2)).toBe(v1)
    expect(stack.undo(v1)).toBe(v0)
    expect(stack.undo(v0)).toBeNull()
    expect(stack.redo(v0)).toBe(v1)
    stack.record(v1)
    expect(stack.canRedo).toBe(false)
  })

  it('keeps at least 50 edits', () => {
    const stack = new UndoStack()
    for (let i = 0; i < 120; i++) stack.record([widget('a', 0, i)])
    let steps = 0
    while (stack.undo([])) steps++
    expect(steps).toBeGreaterThanOrEqual(50)
    expect(steps).toBe(100)
  })
})
