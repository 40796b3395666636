import { api } from '@/api'
import type { LayoutDocument } from './state/types'

export interface HistoryEntry {
  version: number
  author: { id: number; name: string } | null
  at: string
  restored_from: number | null
  widget_count: number
}

export interface HistoryPage {
  items: HistoryEntry[]
  next_before: number | null
}

export function fetchHistory(before?: number | null, limit = 30): Promise<HistoryPage> {
  return api.get<HistoryPage>('/api/layout/me/history', { query: { limit, before: before ?? undefined } })
}

export function restoreVersion(version: number): Promise<LayoutDocument> {
  return api.post<LayoutDocument>('/api/layout/me/restore', { version })
}
