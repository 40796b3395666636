/**
 * Which requests and events a plugin may use: anything on its own routes, GET on the core reads
 * its permissions earned (the catalogue's `frontend.core_reads`), and `/api/auth/me`. The host
 * checks every call (in the page and over postMessage) with these functions before anything is
 * sent; the server still applies the person's own rights.
 */
import type { HttpMethod } from './types'

/** What the catalogue grants one plugin (its `frontend` entry). */
export interface PluginScope {
  plugin: string
  /** GET-only path prefixes, e.g. ["/api/tickets", "/api/analytics/"]. */
  coreReads: readonly string[]
  /** Event type prefixes, e.g. ["plugin.oncall.", "ticket."]. */
  events: readonly string[]
}

/** Open to every plugin. */
export const ALWAYS_READABLE: readonly string[] = ['/api/auth/me']

const METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']
const PLUGIN_NAME = /^[a-z][a-z0-9_-]*$/
// One path segment: letters, digits and a few safe marks; never "." or ".." or an escape.
const SEGMENT = /^[A-Za-z0-9_~-][A-Za-z0-9_.~-]*$/

export type RequestCheck = { ok: true; url: string } | { ok: false; reason: string }

/** Whether `path` is `prefix` or below it (on a path-segment boundary). */
function under(path: string, prefix: string): boolean {
  const base = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix
  return path === base || path.startsWith(`${base}/`)
}

/**
 * Resolve a plugin's request path and say whether it is allowed. `path` without a leading
 * slash is relative to `/api/plugins/<plugin>/`; the query goes in a separate argument, never in
 * the path.
 */
export function checkRequest(scope: PluginScope, method: string, path: string): RequestCheck {
  const { plugin } = scope
  if (!PLUGIN_NAME.test(plugin)) return { ok: false, reason: `bad plugin name "${plugin}"` }
  if (!METHODS.includes(method as HttpMethod)) return { ok: false, reason: `method ${method} is not allowed` }
  if (typeof path !== 'string' || path.length === 0 || path.length > 512) {
    return { ok: false, reason: 'a path is required' }
  }
  const own = `/api/plugins/${plugin}`
  const absolute = path.startsWith('/') ? path : `${own}/${path}`
  const segments = absolute.slice(1).split('/')
  if (absolute.endsWith('/') && segments.length > 1) segments.pop() // a trailing slash is harmless
  if (segments.some((segment) => !SEGMENT.test(segment))) {
    return { ok: false, reason: `"${path}" is not a plain path (no "..", "//", "?", "#" or escapes)` }
  }
  if (under(absolute, own)) return { ok: true, url: absolute }
  if (method === 'GET' && [...ALWAYS_READABLE, ...scope.coreReads].some((p) => under(absolute, p))) {
    return { ok: true, url: absolute }
  }
  return { ok: false, reason: `${method} ${absolute} is outside the API this plugin may use` }
}

/** Whether a plugin may receive events of `type` (`resync` always: it says events were missed). */
export function eventAllowed(scope: PluginScope, type: string): boolean {
  return type === 'resync' || scope.events.some((prefix) => type.startsWith(prefix))
}
