/** Team names for showing a ticket's `team_id` (lists, detail): loaded once per page for staff. */
import { shallowRef } from 'vue'
import { listTeams } from './api'

const names = shallowRef<ReadonlyMap<number, string>>(new Map())
let loading: Promise<void> | null = null

/** Load the names once (requesters may not list teams: they keep the fallback text). */
export function ensureTeamNames(): Promise<void> {
  loading ??= listTeams()
    .then((teams) => {
      names.value = new Map(teams.map((team) => [team.id, team.name]))
    })
    .catch(() => {
      loading = null // a later list may try again
    })
  return loading
}

/** Forget the names (a team was created, renamed or deleted on this page). */
export function resetTeamNames(): void {
  loading = null
  names.value = new Map()
}

/** The name of a team id ('' for no team): reactive, so a cell re-renders once names arrive. */
export function teamLabel(id: number | null | undefined): string {
  if (id === null || id === undefined) return ''
  return names.value.get(id) ?? `Team ${id}`
}
