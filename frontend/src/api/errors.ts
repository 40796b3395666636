/** An HTTP error (status >= 400) or a network failure (status 0) from the API. */
export class ApiError extends Error {
  readonly status: number
  /** The server's `detail` (a string, or the list of bad fields on a 422). */
  readonly detail: unknown
  /** The whole JSON body (a 409 on a layout carries `current`). */
  readonly body: unknown

  constructor(status: number, detail: unknown, body: unknown) {
    super(ApiError.describe(status, detail))
    this.name = 'ApiError'
    this.status = status
    this.detail = detail
    this.body = body
  }

  /** True when the request never got an answer (offline, server down, DNS ...). */
  get isNetworkError(): boolean {
    return this.status === 0
  }

  static describe(status: number, detail: unknown): string {
    if (status === 0) return 'The server cannot be reached. Check your connection.'
    if (typeof detail === 'string' && detail) return detail
    if (Array.isArray(detail)) {
      const parts = detail.map((item: unknown) => {
        if (item && typeof item === 'object' && 'msg' in item) {
          const entry = item as { msg: unknown; loc?: unknown }
          const loc = Array.isArray(entry.loc) ? entry.loc.filter((p) => p !== 'body').join('.') : ''
          return loc ? `${loc}: ${String(entry.msg)}` : String(entry.msg)
        }
        return String(item)
      })
      if (parts.length) return parts.join('; ')
    }
    return `Request failed (HTTP ${status})`
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError
}
