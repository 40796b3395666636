/** The KPI endpoint (`GET /api/analytics/kpis`): every KPI over a period, with the previous one. */
import { api, ApiError } from '@/api'
import { compactFilter, countTickets, collectTickets } from '../shared/tickets'
import { countFilter, durations, median, recentFilter, type Metric } from './metrics'

interface Kpi {
  value: number | null
  previous: number | null
  change: number | null
}

type Kpis = Record<'open' | 'unassigned' | 'overdue' | 'median_first_response_seconds' | 'median_resolution_seconds', Kpi>

const FIELD: Record<Metric, keyof Kpis> = {
  open: 'open',
  unassigned: 'unassigned',
  overdue: 'overdue',
  'first-response-median': 'median_first_response_seconds',
  'resolution-median': 'median_resolution_seconds',
}

export interface Measure {
  /** A count, or a duration in milliseconds for the median metrics. */
  value: number | null
  /** The same measure over the previous period, when the server computes it. */
  previous: number | null
  /** True when the figure is a lower bound (counted client side and stopped at the cap). */
  capped: boolean
}

export function isDuration(metric: Metric): boolean {
  return metric === 'first-response-median' || metric === 'resolution-median'
}

/**
 * Ask the analytics service; a server without it (404) is measured through the list API's
 * pages instead, capped, so the widget still works against an older server.
 */
export async function measureKpi(metric: Metric, filter: unknown, days: number, signal?: AbortSignal): Promise<Measure> {
  try {
    const kpis = await api.get<Kpis>('/api/analytics/kpis', {
      query: { filter: JSON.stringify(compactFilter(filter)), days },
      signal,
    })
    const kpi = kpis[FIELD[metric]]
    const scale = isDuration(metric) ? 1000 : 1
    return {
      value: kpi.value === null ? null : kpi.value * scale,
      previous: kpi.previous === null ? null : kpi.previous * scale,
      capped: false,
    }
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 404)) throw error
  }
  if (metric === 'open' || metric === 'unassigned' || metric === 'overdue') {
    const count = await countTickets(countFilter(metric, filter), signal)
    return { value: count.value, previous: null, capped: count.capped }
  }
  const { items, capped } = await collectTickets(recentFilter(filter, days), signal)
  return { value: median(durations(items, metric)), previous: null, capped }
}
