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
export type SlaCompliance = Schemas['SlaCompliance']
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
  sla: SlaCompliance
}
export type AnalyticsEndpoint = keyof Endpoints

/**
 * One analytics card's figures for a filter (the one filter format, sent as `filter=` JSON).
 * `bands` (ageing only): ascending age band boundaries in whole days, sent as `bands=1,3,7,30`.
 */
export function fetchAnalytics<E extends AnalyticsEndpoint>(
  endpoint: E,
  filter: TicketFilter,
  options: { days?: number; bands?: number[]; signal?: AbortSignal } = {},
): Promise<Endpoints[E]> {
  return api.get<Endpoints[E]>(`/api/analytics/${endpoint}`, {
    query: {
      filter: JSON.stringify(compactFilter(filter)),
      days: options.days,
      bands: options.bands?.length ? options.bands.join(',') : undefined,
    },
    signal: options.signal,
  })
}

/** The `range_days` setting, or the API's default of 30. */
export function rangeDays(settings: Record<string, unknown>): number {
  const days = settings.range_days
  return typeof days === 'number' && Number.isInteger(days) && days > 0 ? Math.min(days, 366) : 30
}

/** The API's limits on age band boundaries (GET /api/analytics/ageing?bands=). */
export const MAX_AGE_BANDS = 8
export const MAX_AGE_DAYS = 365

/**
 * The ageing widget's `buckets_days` setting as the API's `bands=`: whole days in 1..365, once
 * each, ascending (the settings schema does not order them), at most 8. Undefined when the
 * setting is absent or holds no usable day: the API's default bands (1, 3, 7, 30).
 */
export function ageBands(settings: Record<string, unknown>): number[] | undefined {
  const days = settings.buckets_days
  if (!Array.isArray(days)) return undefined
  const usable = days.filter(
    (day): day is number => typeof day === 'number' && Number.isInteger(day) && day >= 1 && day <= MAX_AGE_DAYS,
  )
  const bands = [...new Set(usable)].sort((a, b) => a - b).slice(0, MAX_AGE_BANDS)
  return bands.length ? bands : undefined
}
