/** Automation rules and their run log (admins; types generated from the server's OpenAPI schema). */
import { api } from '@/api'
import type { components } from '@/api/schema'

export type Automation = components['schemas']['AutomationRead']
export type AutomationCreate = components['schemas']['AutomationCreate']
export type AutomationUpdate = components['schemas']['AutomationUpdate']
export type AutomationRun = components['schemas']['AutomationRunRead']
export type Trigger = components['schemas']['Trigger']
export type Action = Automation['actions'][number]
export type ActionType = Action['type']
export type SetFields = components['schemas']['SetFields']

export interface Named {
  id: number
  name: string
}

export const listAutomations = () => api.get<Automation[]>('/api/automations')
export const createAutomation = (body: AutomationCreate) => api.post<Automation>('/api/automations', body)
export const updateAutomation = (id: number, body: AutomationUpdate) =>
  api.patch<Automation>(`/api/automations/${id}`, body)
export const deleteAutomation = (id: number) => api.delete<null>(`/api/automations/${id}`)
export const listRuns = (id: number) => api.get<AutomationRun[]>(`/api/automations/${id}/runs`)

/** What the editor offers to pick from: teams, saved replies, webhooks, staff. */
export interface Choices {
  teams: Named[]
  replies: Named[]
  webhooks: Named[]
  staff: Named[]
}

export async function loadChoices(): Promise<Choices> {
  const [teams, replies, webhooks, agents, admins] = await Promise.all([
    api.get<{ id: number; name: string }[]>('/api/teams'),
    api.get<{ id: number; title: string; scope: string }[]>('/api/saved-replies'),
    api.get<{ id: number; url: string }[]>('/api/webhooks'),
    api.get<{ items: Named[] }>('/api/users', { query: { role: 'agent', limit: 200 } }),
    api.get<{ items: Named[] }>('/api/users', { query: { role: 'admin', limit: 200 } }),
  ])
  return {
    teams,
    replies: replies.map((r) => ({ id: r.id, name: `${r.title} (${r.scope})` })),
    webhooks: webhooks.map((w) => ({ id: w.id, name: w.url })),
    staff: [...agents.items, ...admins.items].map((p) => ({ id: p.id, name: p.name })),
  }
}
