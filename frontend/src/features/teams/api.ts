/** The teams API (types generated from the server's OpenAPI schema) and team choices for filters. */
import { api } from '@/api'
import type { components } from '@/api/schema'

export type Team = components['schemas']['TeamRead']
export type TeamCreate = components['schemas']['TeamCreate']
export type TeamUpdate = components['schemas']['TeamUpdate']

export const TEAM_NAME_MAX = 80

/** A team reference in a filter's `team_id`: a team id, "mine" or "none". */
export type TeamRef = number | 'mine' | 'none'

export function listTeams(signal?: AbortSignal): Promise<Team[]> {
  return api.get<Team[]>('/api/teams', { signal })
}

export function createTeam(data: TeamCreate): Promise<Team> {
  return api.post<Team>('/api/teams', data)
}

export function updateTeam(id: number, data: TeamUpdate): Promise<Team> {
  return api.patch<Team>(`/api/teams/${id}`, data)
}

export function deleteTeam(id: number): Promise<null> {
  return api.delete<null>(`/api/teams/${id}`)
}

export interface TeamOption {
  value: TeamRef
  label: string
}

/** The choices of a team filter: my teams, no team, then every team by name. */
export function teamOptions(teams: Team[]): TeamOption[] {
  return [
    { value: 'mine', label: 'My teams' },
    { value: 'none', label: 'No team' },
    ...teams.map((team) => ({ value: team.id, label: team.restrict_visibility ? `${team.name} (restricted)` : team.name })),
  ]
}

/** A select's value for a `team_id` filter list: one reference as text, '' for none, 'several'. */
export function teamChoice(list: unknown): string {
  if (!Array.isArray(list) || list.length === 0) return ''
  return list.length === 1 ? String(list[0]) : 'several'
}

/** The `team_id` filter list a select's value stands for (null: any team). */
export function teamFilterFrom(choice: string): TeamRef[] | null {
  if (choice === '' || choice === 'several') return null
  if (choice === 'mine' || choice === 'none') return [choice]
  const id = Number(choice)
  return Number.isInteger(id) && id > 0 ? [id] : null
}

/** The team's name for a ticket's `team_id` (null: no team). */
export function teamName(teams: Team[], id: number | null | undefined): string {
  if (id === null || id === undefined) return 'No team'
  return teams.find((team) => team.id === id)?.name ?? `Team ${id}`
}
