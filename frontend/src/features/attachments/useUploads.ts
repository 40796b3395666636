/** A composer's uploads: each file's progress and outcome, the ids to send, paste and drop. */
import { computed, ref } from 'vue'
import { deleteAttachment, uploadErrorText, uploadFile, type Attachment } from './api'

export interface PendingUpload {
  key: number
  name: string
  size: number
  progress: number
  state: 'uploading' | 'done' | 'error'
  error: string
  attachment: Attachment | null
}

export interface UploadTarget {
  ticketId: number | null
  internal: boolean
}

let keys = 0

export function useUploads(target: () => UploadTarget) {
  const uploads = ref<PendingUpload[]>([])
  const ids = computed(() =>
    uploads.value.flatMap((u) => (u.state === 'done' && u.attachment ? [u.attachment.id] : [])),
  )
  const busy = computed(() => uploads.value.some((u) => u.state === 'uploading'))

  function patch(key: number, changes: Partial<PendingUpload>): void {
    uploads.value = uploads.value.map((u) => (u.key === key ? { ...u, ...changes } : u))
  }

  /** Upload files one after another; resolve with those that made it. */
  async function add(files: Iterable<File>): Promise<Attachment[]> {
    const done: Attachment[] = []
    for (const file of files) {
      const key = ++keys
      uploads.value = [
        ...uploads.value,
        { key, name: file.name || 'pasted image', size: file.size, progress: 0, state: 'uploading', error: '', attachment: null },
      ]
      const { ticketId, internal } = target()
      try {
        const attachment = await uploadFile(file, {
          ticketId,
          internal,
          onProgress: (fraction) => patch(key, { progress: fraction }),
        })
        patch(key, { state: 'done', progress: 1, attachment, name: attachment.filename })
        done.push(attachment)
      } catch (error) {
        patch(key, { state: 'error', error: uploadErrorText(error) })
      }
    }
    return done
  }

  /** Take a file off the message; an uploaded one is deleted (nothing refers to it yet) and
   * returned, so the composer can take its inline image out of the text too. */
  async function remove(key: number): Promise<Attachment | null> {
    const upload = uploads.value.find((u) => u.key === key)
    uploads.value = uploads.value.filter((u) => u.key !== key)
    if (!upload?.attachment) return null
    await deleteAttachment(upload.attachment.id).catch(() => undefined)
    return upload.attachment
  }

  function clear(): void {
    uploads.value = []
  }

  return { uploads, ids, busy, add, remove, clear }
}

/** The image files of a paste or drop (screenshots arrive as files named image.png). */
export function filesOf(data: Pick<DataTransfer, 'files'> | null, imagesOnly = false): File[] {
  if (!data) return []
  const files = Array.from(data.files ?? [])
  return imagesOnly ? files.filter((file) => file.type.startsWith('image/')) : files
}
