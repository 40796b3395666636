/** The KPI endpoint (`GET /api/analytics/kpis`): every KPI over a period, with the previous one. */
import { ApiError } from '@/api'
import { fetchAnalytics, type Kpis } from '../shared/analytics'
import { compactFilter, countTickets, collectTickets, type TicketFilter } from '../shared/tickets'
import { countFilter, durations, median, recentFilter, type Metric } from './metrics'

type KpiField = 'open' | 'unassigned' | 'overdue' | 'median_first_response_seconds' | 'median_resolution_seconds'

const FIELD: Record<Exclude<Metric, 'sla-within'>, KpiField> = {
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
  /** value - previous, in the value's unit (null when either is unknown). */
  change: number | null
  /** The change in percent of the previous value (null when there is none, or it was 0). */
  changePct: number | null
  /** The filter that lists exactly the counted tickets (drill-down), when one exists. */
  filter: TicketFilter | null
  /** True when the figure is a lower bound (counted client side and stopped at the cap). */
  capped: boolean
  /** How many tickets the drill-down lists, when it is not `value` (a percentage). */
  drillCount?: number
  /** "of 40 tickets under an SLA, 3 breached" (the % within SLA metric). */
  detail?: string
}

export function isDuration(metric: Metric): boolean {
  return metric === 'first-response-median' || metric === 'resolution-median'
}

/**
 * Ask the analytics service; a server without it (404) is measured through the list API's
 * pages instead, capped, so the widget still works against an older server.
 */
export async function measureKpi(metric: Metric, filter: unknown, days: number, signal?: AbortSignal): Promise<Measure> {
  if (metric === 'sla-within') {
    // Now, not over a period: GET /api/analytics/sla counts by the list's own `sla` filter.
    const sla = await fetchAnalytics('sla', compactFilter(filter), { signal })
    return {
      value: sla.within_pct ?? null,
      previous: null,
      change: null,
      changePct: null,
      filter: (sla.within.filter as TicketFilter | null | undefined) ?? null,
      capped: false,
      drillCount: sla.within.count,
      detail: `of ${sla.total.toLocaleString()} under an SLA, ${sla.breached.count.toLocaleString()} breached`,
    }
  }
  try {
    const kpis: Kpis = await fetchAnalytics('kpis', compactFilter(filter), { days, signal })
    const kpi = kpis[FIELD[metric]]
    const scale = isDuration(metric) ? 1000 : 1
    const scaled = (n: number | null | undefined): number | null => (n === null || n === undefined ? null : n * scale)
    return {
      value: scaled(kpi.value),
      previous: scaled(kpi.previous),
      change: scaled(kpi.change),
      changePct: kpi.change_pct ?? null,
      filter: (kpi.filter as TicketFilter | null | undefined) ?? null,
      capped: false,
    }
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 404)) throw error
  }
  const none = { previous: null, change: null, changePct: null }
  if (metric === 'open' || metric === 'unassigned' || metric === 'overdue') {
    const counted = countFilter(metric, filter)
    const count = await countTickets(counted, signal)
    return { ...none, value: count.value, capped: count.capped, filter: counted }
  }
  const { items, capped } = await collectTickets(recentFilter(filter, days), signal)
  return { ...none, value: median(durations(items, metric)), capped, filter: null }
}
