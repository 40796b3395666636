/** Business calendars and SLA policies as the admin settings screens use them (DESIGN.md). */
import { api } from '@/api'
import type { components } from '@/api/schema'

type Schemas = components['schemas']
export type Calendar = Schemas['CalendarRead']
export type CalendarCreate = Schemas['CalendarCreate']
export type CalendarUpdate = Schemas['CalendarUpdate']
export type WeekHours = Schemas['WeekHours']
export type Policy = Schemas['SlaPolicyRead']
export type PolicyCreate = Schemas['SlaPolicyCreate']
export type PolicyUpdate = Schemas['SlaPolicyUpdate']

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const
export type Weekday = (typeof WEEKDAYS)[number]
export const WEEKDAY_LABELS: Record<Weekday, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
}
export const PAUSABLE_STATUSES = ['pending'] as const

export const listCalendars = () => api.get<Calendar[]>('/api/calendars')
export const createCalendar = (body: CalendarCreate) => api.post<Calendar>('/api/calendars', body)
export const updateCalendar = (id: number, body: CalendarUpdate) => api.patch<Calendar>(`/api/calendars/${id}`, body)
export const deleteCalendar = (id: number) => api.delete<void>(`/api/calendars/${id}`)

export const listPolicies = () => api.get<Policy[]>('/api/sla-policies')
export const createPolicy = (body: PolicyCreate) => api.post<Policy>('/api/sla-policies', body)
export const updatePolicy = (id: number, body: PolicyUpdate) => api.patch<Policy>(`/api/sla-policies/${id}`, body)
export const deletePolicy = (id: number) => api.delete<void>(`/api/sla-policies/${id}`)

/** "09:00-12:30, 13:30-17:00" <-> [["09:00","12:30"],["13:30","17:00"]]; blank: closed. */
export function formatIntervals(intervals: string[][] | undefined): string {
  return (intervals ?? []).map(([start, end]) => `${start}-${end}`).join(', ')
}

export function parseIntervals(text: string): string[][] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => part.split('-').map((clock) => clock.trim()))
}

/** "2026-12-25, 2026-12-26" or one per line <-> a sorted list of dates. */
export function parseHolidays(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).filter((day) => day !== ''))].sort()
}

/** Targets are edited in minutes; "1 h 30 min" shown beside them. */
export function describeMinutes(minutes: number): string {
  if (!Number.isFinite(minutes) || minutes <= 0) return ''
  const days = Math.floor(minutes / 1440)
  const hours = Math.floor((minutes % 1440) / 60)
  const rest = minutes % 60
  return [days ? `${days} d` : '', hours ? `${hours} h` : '', rest ? `${rest} min` : ''].filter(Boolean).join(' ')
}
