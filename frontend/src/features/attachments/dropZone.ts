/** A composer as a drop zone for files: only drags that carry files are taken, so text dragged
 * inside the editor still moves as the browser moves it (preventing that drop would lose it). */
import { ref, type Ref } from 'vue'
import { filesOf } from './useUploads'

/** What the handlers read of a drag event (a DragEvent in the browser). */
export interface DragLike {
  dataTransfer: Pick<DataTransfer, 'types' | 'files' | 'dropEffect'> | null
  preventDefault(): void
}

/** Whether a drag holds files from outside the page (the type list says "Files"). */
export function carriesFiles(data: Pick<DataTransfer, 'types'> | null): boolean {
  return !!data && Array.from(data.types ?? []).includes('Files')
}

/**
 * dragenter and dragleave fire for each child the pointer crosses, in that order (enter the
 * child, then leave the parent): a count of enters not yet left says whether the drag is still
 * over the zone, where a flag would flicker off at every child.
 */
export class DragDepth {
  private depth = 0

  enter(): boolean {
    this.depth += 1
    return true
  }

  leave(): boolean {
    this.depth = Math.max(0, this.depth - 1)
    return this.depth > 0
  }

  reset(): void {
    this.depth = 0
  }
}

export interface DropZone {
  /** True while files are dragged over the zone (show the "drop here" cue). */
  dragging: Ref<boolean>
  /** Bind with v-on on the zone's element. */
  listeners: {
    dragenter: (event: DragLike) => void
    dragover: (event: DragLike) => void
    dragleave: (event: DragLike) => void
    drop: (event: DragLike) => void
  }
}

export function useDropZone(options: { enabled: () => boolean; onFiles: (files: File[]) => void }): DropZone {
  const dragging = ref(false)
  const depth = new DragDepth()
  const takes = (event: DragLike): boolean => options.enabled() && carriesFiles(event.dataTransfer)

  return {
    dragging,
    listeners: {
      dragenter(event) {
        if (!takes(event)) return
        event.preventDefault()
        dragging.value = depth.enter()
      },
      dragover(event) {
        // Cancelling dragover is what lets the drop happen here; a busy zone says "none" (the
        // drop is refused rather than the browser opening the file in place of the app).
        if (!event.dataTransfer || !carriesFiles(event.dataTransfer)) return
        event.preventDefault()
        event.dataTransfer.dropEffect = options.enabled() ? 'copy' : 'none'
        dragging.value = options.enabled()
      },
      dragleave(event) {
        if (!carriesFiles(event.dataTransfer)) return
        dragging.value = depth.leave()
      },
      drop(event) {
        if (!carriesFiles(event.dataTransfer)) return
        // A file dropped on a busy zone is still kept from the browser, which would open it.
        event.preventDefault()
        depth.reset()
        dragging.value = false
        if (!options.enabled()) return
        const files = filesOf(event.dataTransfer)
        if (files.length) options.onFiles(files)
      },
    },
  }
}
