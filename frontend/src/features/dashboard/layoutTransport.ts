import { api, ApiError } from '@/api'
import type { LayoutTransport, SaveFailure } from './state/sync'
import type { GridSpec, LayoutDocument, WidgetPlacement } from './state/types'

interface TemplateRead {
  role: string
  schema_version: number
  grid: GridSpec
  widgets: WidgetPlacement[]
  updated_at: string | null
}

/** The layout endpoints of DESIGN.md, for the person signed in (`me`). */
export function createLayoutTransport(userId: number, role: string): LayoutTransport {
  return {
    async fetchLayout() {
      try {
        return await api.get<LayoutDocument>('/api/layout/me')
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return null
        throw error
      }
    },
    async fetchTemplate() {
      const template = await api.get<TemplateRead>(`/api/layout-templates/${encodeURIComponent(role)}`)
      return {
        user_id: userId,
        version: 0,
        schema_version: template.schema_version,
        updated_at: template.updated_at ?? new Date(0).toISOString(),
        grid: template.grid,
        widgets: template.widgets,
      }
    },
    // The first save: the content only (the server refuses version 0, which marks a template here).
    create: ({ schema_version, grid, widgets }) =>
      api.post<LayoutDocument>('/api/layout/me', { schema_version, grid, widgets }),
    replace: (doc) => api.put<LayoutDocument>('/api/layout/me', doc),
    removeWidget: (id) => api.delete<LayoutDocument>(`/api/layout/me/${encodeURIComponent(id)}`),
    describe(error: unknown): SaveFailure {
      if (error instanceof ApiError) {
        const body = error.body as { current?: LayoutDocument } | null
        return { status: error.status, message: error.message, current: body?.current ?? null }
      }
      return { status: 0, message: error instanceof Error ? error.message : String(error) }
    },
  }
}
