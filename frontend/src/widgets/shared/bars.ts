import type { TicketFilter } from './tickets'

/** One bar of a BarList: a labelled count and the filter that lists its tickets. */
export interface Bar {
  key: string
  label: string
  count: number
  filter: TicketFilter | null
  /** A CSS colour, e.g. var(--chart-2). */
  color?: string
}
