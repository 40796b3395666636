/**
 * The SDK's services for one plugin widget, built by the host: an API client that only reaches
 * what the plugin may reach (the person's authentication is added by the app's client, the
 * plugin never sees a token), event subscriptions filtered by the plugin's grants, UI calls.
 * The same functions answer the sandboxed frames' postMessage calls (frameRpc.ts).
 */
import { getCurrentScope, onScopeDispose, type Ref } from 'vue'
import {
  PLUGIN_API,
  PluginApiError,
  checkRequest,
  eventAllowed,
  type DeskboardContext,
  type HttpMethod,
  type PluginApi,
  type PluginEvent,
  type PluginEvents,
  type PluginIdentity,
  type PluginScope,
  type PluginUi,
  type PluginWidgetProps,
  type Query,
} from '@deskboard/sdk'
import type { PluginFrontend } from './types'

/** What the host lends a plugin (the app's client, socket and UI; fakes in tests). */
export interface HostServices {
  request(method: HttpMethod, url: string, options: { query?: Query; body?: unknown }): Promise<unknown>
  subscribe(type: string, handler: (event: PluginEvent) => void): () => void
  ui: PluginUi
}

export function scopeOf(frontend: PluginFrontend): PluginScope {
  return { plugin: frontend.plugin, coreReads: frontend.core_reads ?? [], events: frontend.events ?? [] }
}

function asPluginError(error: unknown): PluginApiError {
  if (error instanceof PluginApiError) return error
  if (error && typeof error === 'object' && 'status' in error) {
    const { status, message, body } = error as { status: number; message?: string; body?: unknown }
    return new PluginApiError(status, message ?? `HTTP ${status}`, body ?? null)
  }
  return new PluginApiError(0, error instanceof Error ? error.message : String(error))
}

/** One checked call: refused before anything is sent when outside the plugin's grants. */
export async function pluginRequest(
  scope: PluginScope,
  services: Pick<HostServices, 'request'>,
  method: string,
  path: string,
  options: { query?: Query; body?: unknown } = {},
): Promise<unknown> {
  const check = checkRequest(scope, method, path)
  if (!check.ok) throw new PluginApiError(403, `Refused by Deskboard: ${check.reason}`, { refused: true })
  try {
    return await services.request(method as HttpMethod, check.url, options)
  } catch (error) {
    throw asPluginError(error)
  }
}

export function createPluginApi(scope: PluginScope, services: Pick<HostServices, 'request'>): PluginApi {
  const call = <T>(method: HttpMethod, path: string, options?: { query?: Query; body?: unknown }) =>
    pluginRequest(scope, services, method, path, options) as Promise<T>
  return {
    request: (method, path, options) => call(method, path, options),
    get: (path, query) => call('GET', path, { query }),
    post: (path, body) => call('POST', path, { body }),
    put: (path, body) => call('PUT', path, { body }),
    patch: (path, body) => call('PATCH', path, { body }),
    delete: (path) => call('DELETE', path),
  }
}

/** Subscriptions limited to the plugin's event grants; those made in a setup end with it. */
export function createPluginEvents(scope: PluginScope, services: Pick<HostServices, 'subscribe'>): PluginEvents {
  return {
    on(type, handler) {
      if (!eventAllowed(scope, type)) {
        throw new PluginApiError(403, `Refused by Deskboard: plugin “${scope.plugin}” may not receive “${type}” events`)
      }
      const stop = services.subscribe(type, (event) => {
        try {
          handler(event)
        } catch (error) {
          console.error(`[plugin ${scope.plugin}] event handler failed`, error)
        }
      })
      if (getCurrentScope()) onScopeDispose(stop)
      return stop
    },
  }
}

export function createPluginContext(
  frontend: PluginFrontend,
  props: Readonly<Ref<PluginWidgetProps>>,
  services: HostServices,
): DeskboardContext {
  const scope = scopeOf(frontend)
  const plugin: PluginIdentity = { name: frontend.plugin, version: frontend.version }
  return {
    apiVersion: PLUGIN_API,
    plugin,
    props,
    api: createPluginApi(scope, services),
    events: createPluginEvents(scope, services),
    ui: services.ui,
  }
}
