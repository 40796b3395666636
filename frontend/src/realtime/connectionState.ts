import { ref } from 'vue'

export type ConnectionState = 'live' | 'connecting' | 'offline'

/** The socket's state, shown by the header's `connection-status`. */
export const connectionState = ref<ConnectionState>('offline')
