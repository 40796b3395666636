/** The catalogue's description of a plugin widget type's front end (plugin contract §4). */
export interface PluginFrontend {
  module: string
  css?: string[] | null
  mode: 'inpage' | 'iframe'
  /** The sandboxed host page (iframe mode only). */
  frame?: string | null
  plugin: string
  version: string
  api_prefix?: string
  core_reads?: string[]
  events?: string[]
  /** The plugin API range the manifest declares (checked by the server; checked again here). */
  plugin_api?: string
}

/** One installed plugin, as the admin list shows it (GET /api/plugins). */
export interface PluginInfo {
  name: string
  title?: string
  distribution: string
  version: string
  plugin_api: string | null
  widget_types: string[]
  permissions: string[]
  actions?: Record<string, string[]>
  iframe?: boolean
  iframe_forced?: boolean
  status: 'ok' | 'disabled' | 'incompatible' | 'failed'
  error: string | null
}
