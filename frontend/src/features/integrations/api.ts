/** Webhooks and API tokens as the admin settings screen uses them (DESIGN.md, issue 13). */
import { api } from '@/api'

export const WEBHOOK_EVENTS = [
  'ticket.created',
  'ticket.updated',
  'ticket.deleted',
  'comment.created',
  'comment.internal_created',
] as const
export const TOKEN_SCOPES = ['tickets:read', 'tickets:write'] as const

export interface Webhook {
  id: number
  url: string
  events: string[]
  enabled: boolean
  created_at: string
  updated_at: string
}

/** The create answer: the only one with the secret. */
export interface WebhookCreated extends Webhook {
  secret: string
}

export interface Delivery {
  id: number
  webhook_id: number
  event_id: string
  event_type: string
  status: 'pending' | 'delivered' | 'failed'
  attempts: number
  next_attempt_at: string | null
  last_attempt_at: string | null
  response_status: number | null
  response_snippet: string | null
  error: string | null
  duration_ms: number | null
  created_at: string
  delivered_at: string | null
}

export interface ApiToken {
  id: number
  name: string
  scopes: string[]
  prefix: string
  user_id: number
  created_at: string
  last_used_at: string | null
}

/** The create answer: the only one with the token. */
export interface ApiTokenCreated extends ApiToken {
  token: string
}

export const listWebhooks = () => api.get<Webhook[]>('/api/webhooks')
export const createWebhook = (body: { url: string; events: string[]; secret?: string }) =>
  api.post<WebhookCreated>('/api/webhooks', body)
export const updateWebhook = (id: number, body: Partial<Pick<Webhook, 'url' | 'events' | 'enabled'>>) =>
  api.patch<Webhook>(`/api/webhooks/${id}`, body)
export const deleteWebhook = (id: number) => api.delete<void>(`/api/webhooks/${id}`)
export const listDeliveries = (id: number) => api.get<Delivery[]>(`/api/webhooks/${id}/deliveries`)
export const sendTest = (id: number) => api.post<Delivery>(`/api/webhooks/${id}/test`)

export const listTokens = () => api.get<ApiToken[]>('/api/api-tokens')
export const createToken = (body: { name: string; scopes: string[] }) =>
  api.post<ApiTokenCreated>('/api/api-tokens', body)
export const revokeToken = (id: number) => api.delete<void>(`/api/api-tokens/${id}`)
