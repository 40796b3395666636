/** One random id per browser tab: sent as `X-Client-Id` and by the socket, so the server can
 * tell this tab's own changes apart from another tab's when it echoes events. */
function makeClientId(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') {
    return crypto.randomUUID()
  }
  return `c-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`
}

export const clientId: string = makeClientId()
