import type { PluginFrontend } from '@/features/plugins/types'

/** The layout document (DESIGN.md "Layout document"). */
export interface WidgetPlacement {
  id: string
  type: string
  x: number
  y: number
  w: number
  h: number
  settings: Record<string, unknown>
  type_version?: number
}

export interface GridSpec {
  columns: number
  row_height: number
}

export interface LayoutDocument {
  user_id: number
  version: number
  schema_version: number
  updated_at: string
  grid: GridSpec
  widgets: WidgetPlacement[]
}

export interface Size {
  w: number
  h: number
}

/** One entry of the widget catalogue (`GET /api/widgets`). */
export interface WidgetTypeInfo {
  type: string
  title: string
  description: string
  icon: string
  category: string
  default_size: Size
  min_size: Size
  max_size?: Size | null
  settings_schema: Record<string, unknown>
  /** "builtin" or the name of the plugin that brings the type. */
  source?: string
  /** A plugin type's front end (absent for built-in types). */
  frontend?: PluginFrontend | null
}

export interface Geometry {
  id: string
  x: number
  y: number
  w: number
  h: number
}

export interface Placement {
  x: number
  y: number
  w?: number
  h?: number
}

export type SaveStatus = 'saved' | 'saving' | 'offline' | 'error'

/** Both sides of a 409 that could not be merged automatically. */
export interface LayoutConflict {
  /** The local document (the unsaved edits). */
  mine: LayoutDocument
  /** The server's current document. */
  theirs: LayoutDocument
  /** The document the local edits started from. */
  base: LayoutDocument | null
  /** Ids of widgets both sides changed differently. */
  widgetIds: string[]
}

export const DEFAULT_GRID: GridSpec = { columns: 12, row_height: 80 }
export const MAX_WIDGETS = 100
export const UNDO_LIMIT = 100
