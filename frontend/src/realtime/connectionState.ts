import { ref } from 'vue'

/**
 * live: authenticated and receiving events; connecting: the first connection of this session;
 * reconnecting: the socket was lost and the client is getting it back (backoff);
 * offline: the browser has no network, or the session is over.
 */
export type ConnectionState = 'live' | 'connecting' | 'reconnecting' | 'offline'

/** The socket's state, shown by the header's `connection-status`. */
export const connectionState = ref<ConnectionState>('offline')
