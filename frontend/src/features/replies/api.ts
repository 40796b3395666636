/** The saved replies API (types generated from the server's OpenAPI schema). */
import { api } from '@/api'
import type { components } from '@/api/schema'

export type SavedReply = components['schemas']['SavedReplyRead']
export type SavedReplyCreate = components['schemas']['SavedReplyCreate']
export type SavedReplyUpdate = components['schemas']['SavedReplyUpdate']
export type ReplyScope = components['schemas']['Scope']

export const SCOPE_LABELS: Record<ReplyScope, string> = { personal: 'Personal', team: 'Team', global: 'Global' }
export const TITLE_MAX = 120

export function listReplies(options: { q?: string; scope?: ReplyScope; signal?: AbortSignal } = {}): Promise<SavedReply[]> {
  return api.get<SavedReply[]>('/api/saved-replies', { query: { q: options.q || undefined, scope: options.scope }, signal: options.signal })
}

export function createReply(data: SavedReplyCreate): Promise<SavedReply> {
  return api.post<SavedReply>('/api/saved-replies', data)
}

export function updateReply(id: number, data: SavedReplyUpdate): Promise<SavedReply> {
  return api.patch<SavedReply>(`/api/saved-replies/${id}`, data)
}

export function deleteReply(id: number): Promise<null> {
  return api.delete<null>(`/api/saved-replies/${id}`)
}

/** The reply filled in for a ticket (counts one use). */
export async function renderReply(id: number, ticketId: number): Promise<string> {
  const rendered = await api.post<{ body: string }>(`/api/saved-replies/${id}/render`, { ticket_id: ticketId })
  return rendered.body
}
