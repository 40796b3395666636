import { describe, expect, it } from 'vitest'
import { changedWidgetIds } from '../layoutStore'
import { doc, widget } from '../state/__tests__/fixtures'

describe('changedWidgetIds (what a remote version highlights)', () => {
  it('lists added, moved, resized and reconfigured widgets, not unchanged or removed ones', () => {
    const before = doc(1, [widget('same', 0, 0), widget('moved', 4, 0), widget('set', 8, 0), widget('gone', 0, 2)])
    const after = doc(2, [
      widget('same', 0, 0),
      widget('moved', 4, 2),
      widget('set', 8, 0, 4, 2, { title: 'New title' }),
      widget('new', 0, 4),
    ])
    expect(changedWidgetIds(before, after)).toEqual(['moved', 'set', 'new'])
  })

  it('is empty when only the version moved', () => {
    const widgets = [widget('a', 0, 0)]
    expect(changedWidgetIds(doc(1, widgets), doc(2, widgets))).toEqual([])
  })
})
