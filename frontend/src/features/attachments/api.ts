/** Attachments: upload with progress (XHR), list, delete, and authenticated downloads as blobs. */
import { api, getAccessToken, refreshAccessToken } from '@/api'
import { clientId } from '@/api/clientId'
import { ApiError } from '@/api/errors'

export interface Attachment {
  id: number
  ticket_id: number | null
  comment_id: number | null
  filename: string
  content_type: string
  size: number
  sha256: string
  internal: boolean
  inline: boolean
  url: string
  uploaded_by: { id: number; name: string } | null
  created_at: string
}

/** Our own attachment URLs (markdown images point at these): /api/attachments/<id>. */
export const ATTACHMENT_URL = /^\/api\/attachments\/(\d+)(?:\?.*)?$/

export function listAttachments(ticketId: number, signal?: AbortSignal): Promise<Attachment[]> {
  return api.get<Attachment[]>(`/api/tickets/${ticketId}/attachments`, { signal })
}

export function deleteAttachment(id: number): Promise<void> {
  return api.delete<void>(`/api/attachments/${id}`)
}

export interface UploadOptions {
  /** A ticket's id, or null for a draft (a file for a ticket not yet created). */
  ticketId: number | null
  internal?: boolean
  onProgress?: (fraction: number) => void
  signal?: AbortSignal
}

function sendUpload(file: File, options: UploadOptions): Promise<{ status: number; body: unknown }> {
  const url = options.ticketId === null ? '/api/attachments' : `/api/tickets/${options.ticketId}/attachments`
  const form = new FormData()
  form.append('file', file, file.name)
  if (options.internal) form.append('internal', 'true')
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', url)
    xhr.setRequestHeader('Accept', 'application/json')
    xhr.setRequestHeader('X-Client-Id', clientId)
    const token = getAccessToken()
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`)
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) options.onProgress?.(event.loaded / event.total)
    }
    xhr.onload = () => {
      let body: unknown = xhr.responseText
      try {
        body = JSON.parse(xhr.responseText) as unknown
      } catch {
        /* not JSON */
      }
      resolve({ status: xhr.status, body })
    }
    xhr.onerror = () => reject(new ApiError(0, 'network error', null))
    xhr.onabort = () => reject(new DOMException('Upload cancelled', 'AbortError'))
    options.signal?.addEventListener('abort', () => xhr.abort(), { once: true })
    xhr.send(form)
  })
}

/** Upload one file; one transparent refresh on a 401, like the JSON client. */
export async function uploadFile(file: File, options: UploadOptions): Promise<Attachment> {
  let answer = await sendUpload(file, options)
  if (answer.status === 401 && (await refreshAccessToken())) answer = await sendUpload(file, options)
  if (answer.status !== 201) {
    const body = answer.body as { detail?: unknown } | null
    throw new ApiError(answer.status, body && typeof body === 'object' ? body.detail : body, body)
  }
  return answer.body as Attachment
}

/** Fetch an attachment with the bearer token (an <img> or <a> cannot send it) as a Blob. */
export async function fetchAttachment(url: string): Promise<Blob> {
  const get = () =>
    fetch(url, { headers: getAccessToken() ? { Authorization: `Bearer ${getAccessToken()}` } : {} })
  let response = await get()
  if (response.status === 401 && (await refreshAccessToken())) response = await get()
  if (!response.ok) throw new ApiError(response.status, response.statusText, null)
  return response.blob()
}

/** Save an attachment to the person's computer under its name. */
export async function downloadAttachment(attachment: Pick<Attachment, 'url' | 'filename'>): Promise<void> {
  const blob = await fetchAttachment(`${attachment.url}?download=true`)
  const href = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = href
  link.download = attachment.filename
  link.rel = 'noopener'
  document.body.append(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(href), 60_000)
}

/** A message for a failed upload: too big, refused type of request, not allowed, or the server's. */
export function uploadErrorText(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 413) return typeof error.detail === 'string' ? error.detail : 'The file is too large'
    if (error.status === 403) return 'You may not upload files here'
    if (error.status === 0) return 'Network error: the file was not uploaded'
    if (typeof error.detail === 'string') return error.detail
    return `Upload refused (${error.status})`
  }
  return error instanceof Error ? error.message : 'Upload failed'
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}

/** Markdown for an uploaded image, shown inline where the text is rendered. */
export function imageMarkdown(attachment: Pick<Attachment, 'filename' | 'url'>): string {
  const alt = attachment.filename.replace(/[[\]\\]/g, '')
  return `![${alt}](${attachment.url})`
}

/** The text without the inline image(s) of an attachment taken off the message (with the line
 * break that followed each), so no picture of a deleted file is posted. */
export function withoutImage(text: string, attachment: Pick<Attachment, 'filename' | 'url'>): string {
  const markdown = imageMarkdown(attachment)
  return text.split(`${markdown}\n`).join('').split(markdown).join('')
}
