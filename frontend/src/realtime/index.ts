import { clientId, getAccessToken, refreshAccessToken } from '@/api'
import { connectionState } from './connectionState'
import { RealtimeClient } from './socket'

export { connectionState } from './connectionState'
export type { ConnectionState } from './connectionState'
export type { ServerEvent, ServerEventType } from './types'

/** The address of the socket, on the page's own host (ws: or wss: to match the page). */
export function socketUrl(location: Pick<Location, 'protocol' | 'host'> = window.location): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:'
  return `${scheme}//${location.host}/api/ws`
}

/** The one realtime connection of this tab. */
export const realtime = new RealtimeClient({
  url: () => socketUrl(),
  clientId,
  getToken: getAccessToken,
  refreshToken: async () => (await refreshAccessToken())?.access_token ?? null,
})

realtime.onState((state) => {
  connectionState.value = state
})

if (typeof window !== 'undefined') {
  window.addEventListener('online', () => realtime.reconnectNow())
  window.addEventListener('offline', () => realtime.networkLost())
}
