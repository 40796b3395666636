/**
 * Names of the people this tab has met (requesters, assignees, authors, the staff list), so a
 * change recorded by id ("assignee from 3 to 5") reads with names.
 */
import { reactive } from 'vue'
import { useAuthStore } from '@/features/auth/authStore'
import { listStaff } from './api'

const known = reactive(new Map<number, string>())
let staffAsked = false

export function rememberPeople(people: Iterable<{ id: number; name: string } | null | undefined>): void {
  for (const person of people) if (person && !known.has(person.id)) known.set(person.id, person.name)
}

/** The name of person `id`, or `#id` until it is known. Staff load the staff list once. */
export function personName(id: number): string {
  if (!staffAsked) {
    staffAsked = true
    if (useAuthStore().staff) listStaff().then(rememberPeople, () => undefined)
  }
  return known.get(id) ?? `#${id}`
}

/** A recorded value as words: people by name for the person fields, lists joined, none for empty. */
export function showValue(field: string | null | undefined, value: unknown): string {
  if (value === null || value === undefined || value === '') return 'none'
  if ((field === 'assignee_id' || field === 'requester_id') && typeof value === 'number') return personName(value)
  if (Array.isArray(value)) return value.join(', ') || 'none'
  if (typeof value === 'object') {
    const named = value as { name?: unknown }
    return typeof named.name === 'string' ? named.name : JSON.stringify(value)
  }
  if (field?.endsWith('_at') && typeof value === 'string' && !Number.isNaN(Date.parse(value))) {
    return new Date(value).toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' })
  }
  return String(value)
}

/** For tests. */
export function forgetPeople(): void {
  known.clear()
  staffAsked = false
}
