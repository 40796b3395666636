import { describe, expect, it } from 'vitest'
import { merge, stableJson } from '../merge'
import { byId, doc, ids, noOverlaps, widget } from './fixtures'

const a = widget('a', 0, 0)
const b = widget('b', 4, 0)
const c = widget('c', 8, 0)
const base = doc(3, [a, b, c])

describe('three-way merge of layouts', () => {
  it('takes theirs when only they changed', () => {
    const theirs = doc(4, [{ ...a, x: 0, y: 2 }, b, c])
    const result = merge(base, base, theirs)
    expect(result.conflicts).toEqual([])
    expect(byId(result.doc, 'a')).toMatchObject({ x: 0, y: 2 })
    expect(result.doc.version).toBe(4)
  })

  it('takes mine when only I changed', () => {
    const mine = doc(3, [a, { ...b, settings: { title: 'Mine' } }, c])
    const theirs = doc(4, [a, b, c])
    const result = merge(base, mine, theirs)
    expect(result.conflicts).toEqual([])
    expect(byId(result.doc, 'b')?.settings).toEqual({ title: 'Mine' })
  })

  it('merges edits of different widgets from both sides', () => {
    const mine = doc(3, [{ ...a, settings: { title: 'renamed' } }, b, c])
    const theirs = doc(4, [a, { ...b, h: 4 }, c])
    const result = merge(base, mine, theirs)
    expect(result.conflicts).toEqual([])
    expect(byId(result.doc, 'a')?.settings).toEqual({ title: 'renamed' })
    expect(byId(result.doc, 'b')?.h).toBe(4)
    expect(result.doc.version).toBe(4)
  })

  it('keeps a widget I added and one they added', () => {
    const mine = doc(3, [a, b, c, widget('m', 0, 2)])
    const theirs = doc(4, [a, b, c, widget('t', 4, 2)])
    const result = merge(base, mine, theirs)
    expect(result.conflicts).toEqual([])
    expect(ids(result.doc).sort()).toEqual(['a', 'b', 'c', 'm', 't'])
  })

  it('moves my added widget aside when theirs took the same cells', () => {
    const mine = doc(3, [a, b, c, widget('m', 0, 2)])
    const theirs = doc(4, [a, b, c, widget('t', 0, 2)])
    const result = merge(base, mine, theirs)
    expect(result.conflicts).toEqual([])
    expect(byId(result.doc, 't')).toMatchObject({ x: 0, y: 2 })
    expect(byId(result.doc, 'm')).not.toMatchObject({ x: 0, y: 2 })
    expect(noOverlaps(result.doc)).toBe(true)
  })

  it('applies removals from both sides', () => {
    const mine = doc(3, [b, c])
    const theirs = doc(4, [a, b])
    const result = merge(base, mine, theirs)
    expect(result.conflicts).toEqual([])
    expect(ids(result.doc)).toEqual(['b'])
  })

  it('agrees when both sides made the same change', () => {
    const moved = { ...a, y: 5 }
    const result = merge(base, doc(3, [moved, b, c]), doc(4, [moved, b, c]))
    expect(result.conflicts).toEqual([])
    expect(byId(result.doc, 'a')).toEqual(moved)
  })

  it('compares settings by content, not key order', () => {
    const mine = doc(3, [{ ...a, settings: { x: 1, y: 2 } }, b, c])
    const theirs = doc(4, [{ ...a, settings: { y: 2, x: 1 } }, b, c])
    expect(merge(base, mine, theirs).conflicts).toEqual([])
    expect(stableJson({ b: 1, a: { d: 1, c: 2 } })).toBe(stableJson({ a: { c: 2, d: 1 }, b: 1 }))
  })

  it('reports a conflict when both changed the same widget differently', () => {
    const mine = doc(3, [{ ...a, settings: { title: 'mine' } }, b, c])
    const theirs = doc(4, [{ ...a, settings: { title: 'theirs' } }, b, c])
    const result = merge(base, mine, theirs, 'report')
    expect(result.conflicts).toEqual(['a'])
    expect(byId(result.doc, 'a')?.settings).toEqual({ title: 'theirs' })
  })

  it('reports moved-here versus resized-there as a conflict', () => {
    const mine = doc(3, [{ ...a, x: 4, y: 4 }, b, c])
    const theirs = doc(4, [{ ...a, w: 6 }, b, c])
    expect(merge(base, mine, theirs).conflicts).toEqual(['a'])
  })

  it('reports I removed a widget they changed', () => {
    const mine = doc(3, [b, c])
    const theirs = doc(4, [{ ...a, settings: { title: 'new' } }, b, c])
    const result = merge(base, mine, theirs)
    expect(result.conflicts).toEqual(['a'])
  })

  it('reports they removed a widget I changed', () => {
    const mine = doc(3, [{ ...a, settings: { title: 'keep me' } }, b, c])
    const theirs = doc(4, [b, c])
    expect(merge(base, mine, theirs).conflicts).toEqual(['a'])
  })

  it('policy mine keeps my side of the conflict and their other changes', () => {
    const mine = doc(3, [{ ...a, settings: { title: 'mine' } }, b, c])
    const theirs = doc(4, [{ ...a, settings: { title: 'theirs' } }, { ...b, h: 3 }, c])
    const result = merge(base, mine, theirs, 'mine')
    expect(result.conflicts).toEqual(['a'])
    expect(byId(result.doc, 'a')?.settings).toEqual({ title: 'mine' })
    expect(byId(result.doc, 'b')?.h).toBe(3)
    expect(result.doc.version).toBe(4)
  })

  it('policy theirs keeps their side of the conflict and my other changes', () => {
    const mine = doc(3, [{ ...a, settings: { title: 'mine' } }, b, { ...c, settings: { title: 'c2' } }])
    const theirs = doc(4, [{ ...a, settings: { title: 'theirs' } }, b, c])
    const result = merge(base, mine, theirs, 'theirs')
    expect(byId(result.doc, 'a')?.settings).toEqual({ title: 'theirs' })
    expect(byId(result.doc, 'c')?.settings).toEqual({ title: 'c2' })
  })

  it('policy mine brings back a widget they removed and I changed', () => {
    const mine = doc(3, [{ ...a, settings: { title: 'keep me' } }, b, c])
    const theirs = doc(4, [b, c])
    const result = merge(base, mine, theirs, 'mine')
    expect(byId(result.doc, 'a')?.settings).toEqual({ title: 'keep me' })
  })

  it('policy copy keeps theirs and adds mine as a copy at a free spot', () => {
    const mine = doc(3, [{ ...a, settings: { title: 'mine' } }, b, c])
    const theirs = doc(4, [{ ...a, settings: { title: 'theirs' } }, b, c])
    const result = merge(base, mine, theirs, 'copy')
    expect(result.doc.widgets).toHaveLength(4)
    expect(byId(result.doc, 'a')?.settings).toEqual({ title: 'theirs' })
    const copy = result.doc.widgets.find((w) => !['a', 'b', 'c'].includes(w.id))
    expect(copy?.settings).toEqual({ title: 'mine' })
    expect(copy?.type).toBe('note')
    expect(noOverlaps(result.doc)).toBe(true)
  })

  it('policy copy of a widget they removed adds mine back under a new id', () => {
    const mine = doc(3, [{ ...a, x: 8, y: 6 }, b, c])
    const theirs = doc(4, [b, c])
    const result = merge(base, mine, theirs, 'copy')
    expect(result.doc.widgets).toHaveLength(3)
    expect(byId(result.doc, 'a')).toBeUndefined()
  })

  it('policy copy when I removed what they changed keeps theirs only', () => {
    const mine = doc(3, [b, c])
    const theirs = doc(4, [{ ...a, settings: { title: 't' } }, b, c])
    const result = merge(base, mine, theirs, 'copy')
    expect(ids(result.doc)).toEqual(['a', 'b', 'c'])
  })

  it('merges without a base (first save raced another first save)', () => {
    const mine = doc(0, [widget('m', 0, 0)])
    const theirs = doc(1, [widget('t', 0, 0)])
    const result = merge(null, mine, theirs)
    expect(result.conflicts).toEqual([])
    expect(ids(result.doc).sort()).toEqual(['m', 't'])
    expect(noOverlaps(result.doc)).toBe(true)
  })

  it('without a base the same id added differently on both sides conflicts', () => {
    const mine = doc(0, [widget('x', 0, 0, 4, 2, { title: 'm' })])
    const theirs = doc(1, [widget('x', 0, 0, 4, 2, { title: 't' })])
    expect(merge(null, mine, theirs).conflicts).toEqual(['x'])
  })

  it('keeps my grid change when they did not change the grid', () => {
    const mine = { ...doc(3, [a, b, c]), grid: { columns: 12, row_height: 60 } }
    const result = merge(base, mine, doc(4, [a, b, c]))
    expect(result.doc.grid.row_height).toBe(60)
  })
})
