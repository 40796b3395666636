/**
 * Where the choices of a setting come from when its schema names a source
 * (`"x-deskboard-source": "views"`): the editor stays generic, each source lists
 * `{value, label}` options for the person signed in.
 */
import { useAuthStore } from '@/features/auth/authStore'
import { listTeams, teamOptions } from '@/features/teams/api'
import { listViews, viewLabel } from '@/widgets/ticket-list/view'

export interface SourceOption {
  value: number | string
  label: string
}

export interface SettingsSource {
  /** What the options are, for the loading and error texts ("saved views"). */
  noun: string
  load: () => Promise<SourceOption[]>
}

const SOURCES: Record<string, SettingsSource> = {
  views: {
    noun: 'saved views',
    async load() {
      const reader = useAuthStore().user?.id ?? null
      return (await listViews()).map((view) => ({ value: view.id, label: viewLabel(view, reader) }))
    },
  },
  // A filter's `team_id` (staff only: GET /api/teams): my teams, no team, each team.
  teams: {
    noun: 'teams',
    async load() {
      return teamOptions(await listTeams())
    },
  },
}

export function settingsSource(name: string | undefined): SettingsSource | null {
  return (name && SOURCES[name]) || null
}
