/** The analytics API (`GET /api/analytics/...`), typed from the server's OpenAPI schema. */
import { api } from '@/api'
import type { components } from '@/api/schema'
import { compactFilter, type TicketFilter } from './tickets'

type Schemas = components['schemas']
export type Breakdown = Schemas['Breakdown']
export type Segment = Schemas['Segment']
export type CreatedResolved = Schemas['CreatedResolved']
export type Backlog = Schemas['Backlog']
export type Kpis = Schemas['Kpis']
export type Kpi = Schemas['Kpi']
export type Workload = Schemas['Workload']
export type WorkloadRow = Schemas['WorkloadRow']
export type Ageing = Schemas['Ageing']
export type AgeBand = Schemas['AgeBand']

interface Endpoints {
  'by-status': Breakdown
  'by-priority': Breakdown
  'created-vs-resolved': CreatedResolved
  backlog: Backlog
  kpis: Kpis
  workload: Workload
  ageing: Ageing
}
export type AnalyticsEndpoint = keyof Endpoints

/** One analytics card's figures for a filter (the one filter format, sent as `filter=` JSON). */
export function fetchAnalytics<E extends AnalyticsEndpoint>(
  endpoint: E,
  filter: TicketFilter,
  options: { days?: number; signal?: AbortSignal } = {},
): Promise<Endpoints[E]> {
  return api.get<Endpoints[E]>(`/api/analytics/${endpoint}`, {
    query: { filter: JSON.stringify(compactFilter(filter)), days: options.days },
    signal: options.signal,
  })
}

/** The `range_days` setting, or the API's default of 30. */
export function rangeDays(settings: Record<string, unknown>): number {
  const days = settings.range_days
  return typeof days === 'number' && Number.isInteger(days) && days > 0 ? Math.min(days, 366) : 30
}
