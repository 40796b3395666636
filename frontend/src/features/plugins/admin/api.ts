/** The admin plugin list (GET/PATCH /api/plugins). */
import { api } from '@/api'
import type { PluginInfo } from '../types'

export function listPlugins(): Promise<PluginInfo[]> {
  return api.get<PluginInfo[]>('/api/plugins')
}

export function updatePlugin(name: string, change: { enabled?: boolean; iframe_forced?: boolean }): Promise<PluginInfo> {
  return api.patch<PluginInfo>(`/api/plugins/${encodeURIComponent(name)}`, change)
}
