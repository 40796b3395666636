/**
 * What a chart widget draws, independent of chart.js: labels, series (with colour tokens) and,
 * per point, the filter that lists its tickets (drill-down). Unit-tested without a canvas.
 */
import type { Backlog, Breakdown, CreatedResolved } from '../shared/analytics'
import type { TicketFilter } from '../shared/tickets'

export const CHART_KINDS = ['by-status', 'by-priority', 'created-vs-resolved', 'backlog'] as const
export type ChartKind = (typeof CHART_KINDS)[number]

export function chartKind(value: unknown): ChartKind {
  return CHART_KINDS.includes(value as ChartKind) ? (value as ChartKind) : 'by-status'
}

export const KIND_TITLES: Record<ChartKind, string> = {
  'by-status': 'Tickets by status',
  'by-priority': 'Tickets by priority',
  'created-vs-resolved': 'Created versus resolved per day',
  backlog: 'Open tickets at the end of each day',
}

export const ENDPOINTS: Record<ChartKind, 'by-status' | 'by-priority' | 'created-vs-resolved' | 'backlog'> = {
  'by-status': 'by-status',
  'by-priority': 'by-priority',
  'created-vs-resolved': 'created-vs-resolved',
  backlog: 'backlog',
}

/** Colour tokens (CSS custom properties) per status and priority; see styles/tokens.css. */
const KEY_COLORS: Record<string, string> = {
  new: '--chart-1',
  open: '--chart-3',
  pending: '--chart-4',
  resolved: '--chart-2',
  closed: '--chart-6',
  low: '--chart-6',
  normal: '--chart-1',
  high: '--chart-3',
  urgent: '--chart-5',
}

export interface Series {
  label: string
  values: number[]
  /** One token for the whole series, or one per point. */
  color: string | string[]
  /** Per point: the filter listing its tickets, or null when none can. */
  drill: (TicketFilter | null)[]
}

export interface ChartModel {
  type: 'bar' | 'line'
  labels: string[]
  series: Series[]
  empty: boolean
  /** Breakdowns: the segments as a list a keyboard can walk (label, count, filter). */
  segments: { key: string; label: string; count: number; color: string; filter: TicketFilter | null }[]
}

export type ChartData = Breakdown | CreatedResolved | Backlog

function title(key: string): string {
  return key.charAt(0).toUpperCase() + key.slice(1)
}

function dayLabel(day: string): string {
  const date = new Date(`${day}T00:00:00Z`)
  return Number.isNaN(date.getTime()) ? day : date.toLocaleDateString(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' })
}

export function toModel(kind: ChartKind, data: ChartData): ChartModel {
  if (kind === 'by-status' || kind === 'by-priority') {
    const breakdown = data as Breakdown
    const segments = breakdown.segments.map((segment) => ({
      key: segment.key,
      label: title(segment.key),
      count: segment.count,
      color: KEY_COLORS[segment.key] ?? '--chart-1',
      filter: (segment.filter as TicketFilter | null) ?? null,
    }))
    return {
      type: 'bar',
      labels: segments.map((s) => s.label),
      series: [{ label: 'Tickets', values: segments.map((s) => s.count), color: segments.map((s) => s.color), drill: segments.map((s) => s.filter) }],
      empty: breakdown.total === 0,
      segments,
    }
  }
  if (kind === 'created-vs-resolved') {
    const flow = data as CreatedResolved
    const points = flow.points
    return {
      type: 'bar',
      labels: points.map((p) => dayLabel(p.day)),
      series: [
        { label: 'Created', values: points.map((p) => p.created), color: '--chart-1', drill: points.map((p) => (p.created_filter as TicketFilter | null) ?? null) },
        { label: 'Resolved', values: points.map((p) => p.resolved), color: '--chart-2', drill: points.map(() => null) },
      ],
      empty: points.every((p) => p.created === 0 && p.resolved === 0),
      segments: [],
    }
  }
  const backlog = data as Backlog
  return {
    type: 'line',
    labels: backlog.points.map((p) => dayLabel(p.day)),
    series: [{ label: 'Open tickets', values: backlog.points.map((p) => p.open), color: '--chart-4', drill: backlog.points.map(() => null) }],
    empty: backlog.points.every((p) => p.open === 0),
    segments: [],
  }
}

/** A sentence for screen readers: what the chart shows, point by point (long series summarised). */
export function describe(kind: ChartKind, model: ChartModel): string {
  if (model.segments.length > 0) {
    return `${KIND_TITLES[kind]}: ${model.segments.map((s) => `${s.label} ${s.count}`).join(', ')}`
  }
  const parts = model.series.map((series) => {
    const total = series.values.reduce((a, b) => a + b, 0)
    const last = series.values.at(-1) ?? 0
    return kind === 'backlog' ? `${series.label}: ${last} today` : `${series.label}: ${total} in ${series.values.length} days`
  })
  return `${KIND_TITLES[kind]}. ${parts.join('; ')}`
}
