import { describe, expect, it } from 'vitest'
import { renderNote } from '../render'

describe('renderNote', () => {
  it('turns a remote image into a link, so reading the note calls no other host', () => {
    const html = renderNote('![pixel](https://tracker.example/p.gif?who=me)')
    expect(html).not.toContain('<img')
    expect(html).toContain('href="https://tracker.example/p.gif?who=me"')
    expect(html).toContain('>pixel</a>')
  })

  it('keeps same-origin and data: images', () => {
    const html = renderNote('![logo](/favicon.svg) ![dot](data:image/png;base64,iVBORw0KGgo=)')
    expect(html.match(/<img/g)?.length).toBe(2)
  })

  it('still drops javascript: links', () => {
    expect(renderNote('[x](javascript:alert(1))')).not.toContain('href="javascript')
  })
})
