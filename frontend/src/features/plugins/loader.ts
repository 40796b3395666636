/**
 * Loading plugin front ends: each plugin module on its own dynamic import (one plugin's failure
 * never touches another's), with its CSS, a time limit and the plugin API check.
 */
import type { Component } from 'vue'
import { PLUGIN_API, rangeRefusal } from '@deskboard/sdk'
import type { PluginFrontend } from './types'

export const LOAD_TIMEOUT_MS = 10_000

export type Importer = (url: string) => Promise<Record<string, unknown>>

/** The browser's own import(); Vite must leave the URL alone (it is only known at run time). */
export const browserImport: Importer = (url) => import(/* @vite-ignore */ url) as Promise<Record<string, unknown>>

/** The defaults of every load (tests swap the importer and shorten the timeout). */
export const loaderDefaults: { importer: Importer; timeoutMs: number } = {
  importer: browserImport,
  timeoutMs: LOAD_TIMEOUT_MS,
}

export class PluginLoadError extends Error {
  constructor(
    message: string,
    readonly kind: 'import' | 'timeout' | 'version' | 'shape',
  ) {
    super(message)
    this.name = 'PluginLoadError'
  }
}

/** What a loaded module offers: the component for each widget type. */
export interface LoadedPlugin {
  component(type: string): Component | null
}

const loads = new Map<string, Promise<LoadedPlugin>>()

function isComponent(value: unknown): value is Component {
  return (
    (typeof value === 'object' && value !== null && ('setup' in value || 'render' in value || 'template' in value)) ||
    typeof value === 'function'
  )
}

/** Check a module's exports and return its components (pure; exported for tests). */
export function readModule(exports: Record<string, unknown>, apiVersion = PLUGIN_API): LoadedPlugin {
  const main = exports.default
  const declared =
    (typeof main === 'object' && main !== null && 'pluginApi' in main ? (main as { pluginApi: unknown }).pluginApi : undefined) ??
    exports.pluginApi
  const refusal = rangeRefusal(declared, apiVersion)
  if (refusal) throw new PluginLoadError(refusal, 'version')
  if (typeof main === 'object' && main !== null && 'widgets' in main) {
    const widgets = (main as { widgets: unknown }).widgets
    if (typeof widgets !== 'object' || widgets === null) {
      throw new PluginLoadError('The module’s default export has no widgets', 'shape')
    }
    const table = widgets as Record<string, unknown>
    return {
      component: (type) => {
        const found = Object.prototype.hasOwnProperty.call(table, type) ? table[type] : undefined
        return isComponent(found) ? found : null
      },
    }
  }
  if (isComponent(main)) return { component: () => main }
  throw new PluginLoadError('The module exports no widget component (default export)', 'shape')
}

function addStylesheets(urls: readonly string[]): void {
  for (const href of urls) {
    const present = [...document.head.querySelectorAll<HTMLLinkElement>('link[data-plugin-css]')]
    if (present.some((link) => link.dataset.pluginCss === href)) continue
    const link = document.createElement('link')
    link.rel = 'stylesheet'
    link.href = href
    link.dataset.pluginCss = href
    document.head.append(link)
  }
}

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new PluginLoadError(`${what} did not load within ${Math.round(ms / 1000)} s`, 'timeout')),
      ms,
    )
    work.then(
      (value) => {
        clearTimeout(timer)
        resolve(value)
      },
      (error: unknown) => {
        clearTimeout(timer)
        reject(error)
      },
    )
  })
}

export interface LoadOptions {
  importer?: Importer
  timeoutMs?: number
  apiVersion?: number
}

/**
 * Load a plugin's module once (later callers share the promise); a failed load is forgotten so
 * a retry tries again.
 */
export function loadPlugin(frontend: PluginFrontend, options: LoadOptions = {}): Promise<LoadedPlugin> {
  const apiVersion = options.apiVersion ?? PLUGIN_API
  const refusal = rangeRefusal(frontend.plugin_api, apiVersion)
  if (refusal) return Promise.reject(new PluginLoadError(refusal, 'version'))
  const key = frontend.module
  let load = loads.get(key)
  if (!load) {
    addStylesheets(frontend.css ?? [])
    const importer = options.importer ?? loaderDefaults.importer
    const imported = (async () => importer(frontend.module))().catch((error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error)
      throw new PluginLoadError(`The plugin “${frontend.plugin}” could not be loaded: ${reason}`, 'import')
    })
    load = withTimeout(imported, options.timeoutMs ?? loaderDefaults.timeoutMs, `The plugin “${frontend.plugin}”`).then(
      (exports) => readModule(exports, apiVersion),
    )
    load.catch(() => loads.delete(key))
    loads.set(key, load)
  }
  return load
}

/** Forget every load (tests; sign-out keeps them: modules hold no personal state). */
export function forgetPluginLoads(): void {
  loads.clear()
}
