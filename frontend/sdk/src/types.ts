/** The shapes of plugin API v1. Everything here is a contract: change it only with a new version. */
import type { Component, Ref } from 'vue'

export type Theme = 'light' | 'dark'

/** A widget's size in grid cells. */
export interface WidgetSize {
  w: number
  h: number
}

/** The dashboard's one filter format (DESIGN.md "Ticket filter"), e.g. `{ status: ['open'] }`. */
export type TicketFilter = Record<string, unknown>

/** The props every plugin widget component receives from the host. */
export interface PluginWidgetProps {
  /** The placement's id in the person's layout. */
  widgetId: string
  /** The widget type (as in the catalogue). */
  type: string
  /** The widget's settings, valid against the type's settings schema. */
  settings: Record<string, unknown>
  size: WidgetSize
  /** True while the person edits the dashboard (the widget should not take clicks then). */
  editing: boolean
  theme: Theme
  /** The dashboard filter panel's filter ({} when none is set). */
  filter: TicketFilter
}

/** Props declaration for `defineProps` / `props:` (runtime shape of PluginWidgetProps). */
export const widgetProps = {
  widgetId: { type: String, required: true },
  type: { type: String, required: true },
  settings: { type: Object, required: true },
  size: { type: Object, required: true },
  editing: { type: Boolean, required: true },
  theme: { type: String, required: true },
  filter: { type: Object, required: true },
} as const

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
export type Query = Record<string, string | number | boolean | null | undefined | string[]>

export interface RequestOptions {
  query?: Query
  body?: unknown
}

/**
 * The plugin's HTTP client. A path without a leading slash is the plugin's own route
 * (`api.get('roster')` is GET /api/plugins/<name>/roster); an absolute path must be one of the
 * allowed core reads (see `checkRequest`). The person's authentication is added by the host; the
 * plugin never sees a token. Failures reject with a PluginApiError.
 */
export interface PluginApi {
  request<T = unknown>(method: HttpMethod, path: string, options?: RequestOptions): Promise<T>
  get<T = unknown>(path: string, query?: Query): Promise<T>
  post<T = unknown>(path: string, body?: unknown): Promise<T>
  put<T = unknown>(path: string, body?: unknown): Promise<T>
  patch<T = unknown>(path: string, body?: unknown): Promise<T>
  delete<T = unknown>(path: string): Promise<T>
}

/** A server event as delivered to a plugin. */
export interface PluginEvent {
  type: string
  id?: string
  at?: string
  data: unknown
}

export interface PluginEvents {
  /**
   * Call `handler` for each event of `type` the plugin may see (its own `plugin.<name>.*`
   * events; ticket events only with a ticket-reading permission). `'resync'` is delivered when
   * events were missed. Returns the unsubscribe function; subscriptions made during a component's
   * setup end with the component.
   */
  on(type: string, handler: (event: PluginEvent) => void): () => void
}

export type ToastKind = 'info' | 'success' | 'error'

export interface PluginUi {
  /** Open a ticket in the dashboard's drawer. */
  openTicket(id: number): void
  /** Open the ticket list filtered by `filter` (a drill-down). */
  openTicketList(filter: TicketFilter): void
  /** Show a short message. */
  toast(message: string, kind?: ToastKind): void
}

export interface PluginIdentity {
  name: string
  version: string
}

/** What `useDeskboard()` returns inside a plugin widget. */
export interface DeskboardContext {
  /** The plugin API version the host speaks (PLUGIN_API). */
  apiVersion: number
  plugin: PluginIdentity
  /** The current props, reactive (the same values the component receives as props). */
  props: Readonly<Ref<PluginWidgetProps>>
  api: PluginApi
  events: PluginEvents
  ui: PluginUi
}

/**
 * What a plugin's front-end module exports as default: one component per widget type it
 * declares, or one component for all of them. An optional named export `pluginApi` (a range such
 * as ">=1,<2") is checked by the host as well as the manifest's.
 */
export type PluginModule = { widgets: Record<string, Component> } | Component

export class PluginApiError extends Error {
  readonly status: number
  readonly body: unknown

  constructor(status: number, message: string, body: unknown = null) {
    super(message)
    this.name = 'PluginApiError'
    this.status = status
    this.body = body
  }
}
