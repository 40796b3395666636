import { describe, expect, it, vi } from 'vitest'
import { DragDepth, carriesFiles, useDropZone, type DragLike } from '../dropZone'

/** A drag event as the browser hands it: the DataTransfer's type list and files. */
function drag(types: string[], files: File[] = []): DragLike & { prevented: boolean } {
  const event = {
    dataTransfer: { types, files: files as unknown as FileList, dropEffect: 'none' as DataTransfer['dropEffect'] },
    prevented: false,
    preventDefault() {
      event.prevented = true
    },
  }
  return event
}

const log = new File(['error 0x42\n'], 'scanner.log', { type: 'text/plain' })

describe('drag depth', () => {
  it('stays over the zone while the pointer crosses its children, and leaves with the last leave', () => {
    const depth = new DragDepth()
    expect(depth.enter()).toBe(true) // the form
    expect(depth.enter()).toBe(true) // its textarea (entered before the form is left)
    expect(depth.leave()).toBe(true) // the form, as the pointer went into the textarea
    expect(depth.leave()).toBe(false) // the textarea, out of the zone
    expect(depth.leave()).toBe(false) // an extra leave never goes below zero
    expect(depth.enter()).toBe(true)
  })
})

describe('carriesFiles', () => {
  it('tells files from text and links being dragged', () => {
    expect(carriesFiles({ types: ['Files'] })).toBe(true)
    expect(carriesFiles({ types: ['text/plain', 'text/html'] })).toBe(false)
    expect(carriesFiles({ types: ['text/uri-list'] })).toBe(false)
    expect(carriesFiles(null)).toBe(false)
  })
})

describe('useDropZone', () => {
  it('takes dropped files and shows the cue only while they are over the zone', () => {
    const onFiles = vi.fn()
    const zone = useDropZone({ enabled: () => true, onFiles })
    const enter = drag(['Files'])
    zone.listeners.dragenter(enter)
    expect(enter.prevented).toBe(true)
    zone.listeners.dragenter(drag(['Files'])) // a child
    zone.listeners.dragleave(drag(['Files']))
    expect(zone.dragging.value).toBe(true)
    const over = drag(['Files'])
    zone.listeners.dragover(over)
    expect(over.prevented).toBe(true)
    expect(over.dataTransfer?.dropEffect).toBe('copy')
    const drop = drag(['Files'], [log])
    zone.listeners.drop(drop)
    expect(drop.prevented).toBe(true)
    expect(zone.dragging.value).toBe(false)
    expect(onFiles).toHaveBeenCalledWith([log])
    // The depth was reset by the drop: the next drag starts afresh.
    zone.listeners.dragenter(drag(['Files']))
    zone.listeners.dragleave(drag(['Files']))
    expect(zone.dragging.value).toBe(false)
  })

  it('leaves text dragged inside the editor to the browser (cancelling its drop would lose it)', () => {
    const onFiles = vi.fn()
    const zone = useDropZone({ enabled: () => true, onFiles })
    const events = [drag(['text/plain']), drag(['text/plain']), drag(['text/plain'])]
    zone.listeners.dragenter(events[0]!)
    zone.listeners.dragover(events[1]!)
    zone.listeners.drop(events[2]!)
    expect(events.map((e) => e.prevented)).toEqual([false, false, false])
    expect(zone.dragging.value).toBe(false)
    expect(onFiles).not.toHaveBeenCalled()
  })

  it('refuses files while the zone is busy, without letting the browser open them', () => {
    const onFiles = vi.fn()
    const zone = useDropZone({ enabled: () => false, onFiles })
    zone.listeners.dragenter(drag(['Files']))
    const over = drag(['Files'])
    zone.listeners.dragover(over)
    expect(over.prevented).toBe(true)
    expect(over.dataTransfer?.dropEffect).toBe('none')
    expect(zone.dragging.value).toBe(false)
    const drop = drag(['Files'], [log])
    zone.listeners.drop(drop)
    expect(drop.prevented).toBe(true)
    expect(onFiles).not.toHaveBeenCalled()
  })
})
