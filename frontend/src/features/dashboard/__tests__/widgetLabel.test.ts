import { describe, expect, it } from 'vitest'
import { describeChange } from '../widgetLabel'
import { widget } from '../state/__tests__/fixtures'

describe('describeChange (the conflict dialog rows)', () => {
  it('names what changed, with short new setting values', () => {
    const base = widget('a', 0, 0, 4, 2, { title: 'Old', markdown: 'x' })
    expect(describeChange(base, { ...base, settings: { title: 'My title', markdown: 'x' } })).toBe('title “My title”')
    expect(describeChange(base, { ...base, x: 4, w: 6 })).toBe('moved, resized')
    expect(describeChange(base, { ...base, settings: { title: 'Old', markdown: 'line\nline' } })).toBe('text changed')
    expect(describeChange(base, undefined)).toBe('removed')
    expect(describeChange(undefined, base)).toBe('added')
  })
})
