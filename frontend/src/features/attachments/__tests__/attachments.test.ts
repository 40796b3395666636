import { describe, expect, it } from 'vitest'
import { ApiError } from '@/api/errors'
import { renderNote } from '@/widgets/note/render'
import { formatSize, imageMarkdown, uploadErrorText, withoutImage } from '../api'

describe('attachments in rendered markdown', () => {
  it('loads our own attachment images through data-attachment, never by the <img> itself', () => {
    const html = renderNote('Look: ![shot](/api/attachments/12)')
    const template = document.createElement('template')
    template.innerHTML = html
    const image = template.content.querySelector('img')
    expect(image?.getAttribute('src')).toBeNull()
    expect(image?.getAttribute('data-attachment')).toBe('/api/attachments/12')
  })

  it('keeps a remote image a link (no tracking pixel) and any other local image as it was', () => {
    const template = document.createElement('template')
    template.innerHTML = renderNote('![pixel](https://tracker.example/p.gif) ![x](/api/attachments/12/../../users)')
    expect(template.content.querySelector('img[data-attachment]')).toBeNull()
    expect(template.content.querySelector('a[href="https://tracker.example/p.gif"]')).not.toBeNull()
  })
})

describe('upload helpers', () => {
  it('says why an upload failed in the server words when it has them', () => {
    expect(uploadErrorText(new ApiError(413, 'The file is over the 20 MiB attachment limit', null))).toBe(
      'The file is over the 20 MiB attachment limit',
    )
    expect(uploadErrorText(new ApiError(403, 'Only agents and admins mark files internal', null))).toBe(
      'You may not upload files here',
    )
    expect(uploadErrorText(new ApiError(0, 'network error', null))).toBe('Network error: the file was not uploaded')
  })

  it('writes inline image markdown without brackets that would break it', () => {
    expect(imageMarkdown({ filename: 'a]b[c.png', url: '/api/attachments/3' })).toBe('![abc.png](/api/attachments/3)')
  })

  it('takes a removed file\'s inline image out of the text, and only that one', () => {
    const shot = { filename: 'image.png', url: '/api/attachments/10' }
    const text = 'See:\n![image.png](/api/attachments/10)\n![image.png](/api/attachments/100) and ![image.png](/api/attachments/10)'
    expect(withoutImage(text, shot)).toBe('See:\n![image.png](/api/attachments/100) and ')
    expect(withoutImage('nothing inline', shot)).toBe('nothing inline')
  })

  it('formats sizes', () => {
    expect(formatSize(79)).toBe('79 B')
    expect(formatSize(2048)).toBe('2.0 KB')
    expect(formatSize(3 * 1024 * 1024)).toBe('3.0 MB')
  })
})
