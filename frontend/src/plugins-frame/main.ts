/**
 * The runtime inside a sandboxed plugin frame (served by the server's frame.html, which imports
 * this file through the same import map as the app). It loads the plugin module, mounts the
 * widget, and lends it an SDK context whose calls travel to the dashboard by postMessage.
 */
import { createApp, getCurrentScope, h, onScopeDispose, shallowRef, type Component } from 'vue'
import {
  DESKBOARD_CONTEXT,
  PLUGIN_API,
  PluginApiError,
  type DeskboardContext,
  type HttpMethod,
  type PluginEvent,
  type PluginWidgetProps,
} from '@deskboard/sdk'
import { LOAD_TIMEOUT_MS, browserImport, readModule } from '@/features/plugins/loader'
import { PROTOCOL, type FrameCall, type FrameMessage, type HostMessage } from '@/features/plugins/frameProtocol'

const root = document.getElementById('app')
const moduleUrl = root?.dataset.module ?? ''
const widgetType = root?.dataset.type ?? new URLSearchParams(location.search).get('type') ?? ''
// The dashboard is this page's own server origin (the frame's own origin is opaque).
const hostOrigin = new URL(location.href).origin

function send(message: FrameMessage): void {
  window.parent.postMessage(message, hostOrigin)
}

let nextId = 1
const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>()
const handlers = new Map<number, (event: PluginEvent) => void>()

function call(request: FrameCall): Promise<unknown> {
  const id = nextId++
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject })
    send({ deskboard: PROTOCOL, kind: 'call', id, call: request })
  })
}

function fail(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error)
  send({ deskboard: PROTOCOL, kind: 'failed', message })
}

const props = shallowRef<PluginWidgetProps | null>(null)

function applyTokens(tokens: Record<string, string>, theme: string): void {
  const style = document.documentElement.style
  for (const [name, value] of Object.entries(tokens)) if (name.startsWith('--')) style.setProperty(name, value)
  document.documentElement.dataset.theme = theme
  style.colorScheme = theme
  const body = document.body.style
  body.margin = '0'
  body.background = 'transparent'
  body.color = 'var(--color-text)'
  body.font = '14px/1.45 var(--font-sans, system-ui, sans-serif)'
}

function context(plugin: { name: string; version: string }): DeskboardContext {
  const api = <T>(method: HttpMethod, path: string, options: { query?: unknown; body?: unknown } = {}) =>
    call({ op: 'api', method, path, query: options.query as Record<string, unknown> | undefined, body: options.body }) as Promise<T>
  return {
    apiVersion: PLUGIN_API,
    plugin,
    props: props as DeskboardContext['props'],
    api: {
      request: (method, path, options) => api(method, path, options),
      get: (path, query) => api('GET', path, { query }),
      post: (path, body) => api('POST', path, { body }),
      put: (path, body) => api('PUT', path, { body }),
      patch: (path, body) => api('PATCH', path, { body }),
      delete: (path) => api('DELETE', path),
    },
    events: {
      on(type, handler) {
        const subscription = nextId++
        handlers.set(subscription, handler)
        call({ op: 'subscribe', type, subscription }).catch((error: unknown) => {
          handlers.delete(subscription)
          console.error(error)
        })
        const stop = () => {
          if (handlers.delete(subscription)) void call({ op: 'unsubscribe', subscription }).catch(() => undefined)
        }
        if (getCurrentScope()) onScopeDispose(stop)
        return stop
      },
    },
    ui: {
      openTicket: (id) => void call({ op: 'openTicket', id }),
      openTicketList: (filter) => void call({ op: 'openTicketList', filter }),
      toast: (message, kind) => void call({ op: 'toast', message, kind }),
    },
  }
}

async function start(init: Extract<HostMessage, { kind: 'init' }>): Promise<void> {
  applyTokens(init.tokens, init.props.theme)
  props.value = init.props
  const exports = await Promise.race([
    browserImport(moduleUrl),
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`The module did not load within ${LOAD_TIMEOUT_MS / 1000} s`)), LOAD_TIMEOUT_MS),
    ),
  ])
  const component: Component | null = readModule(exports).component(widgetType)
  if (!component) throw new Error(`The plugin’s module has no component for “${widgetType}”`)
  const app = createApp({ render: () => (props.value ? h(component, props.value) : null) })
  app.provide(DESKBOARD_CONTEXT, context(init.plugin))
  app.config.errorHandler = (error) => fail(error)
  app.mount(root ?? document.body)
  send({ deskboard: PROTOCOL, kind: 'mounted' })
}

let started = false
window.addEventListener('message', (event: MessageEvent) => {
  if (event.source !== window.parent || event.origin !== hostOrigin) return
  const data = event.data as HostMessage
  if (typeof data !== 'object' || data === null || data.deskboard !== PROTOCOL) return
  switch (data.kind) {
    case 'init':
      if (started) return
      started = true
      start(data).catch(fail)
      break
    case 'props':
      applyTokens(data.tokens, data.props.theme)
      props.value = data.props
      break
    case 'result': {
      const waiting = pending.get(data.id)
      if (!waiting) return
      pending.delete(data.id)
      if (data.ok) waiting.resolve(data.value)
      else waiting.reject(new PluginApiError(data.error.status, data.error.message))
      break
    }
    case 'event':
      handlers.get(data.subscription)?.(data.event)
      break
  }
})

window.addEventListener('error', (event) => fail(event.error ?? event.message))
window.addEventListener('unhandledrejection', (event) => console.error(event.reason))
send({ deskboard: PROTOCOL, kind: 'ready' })
