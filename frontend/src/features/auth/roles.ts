import type { Role } from './types'

/** What the UI shows per role. The API enforces the same rules; these only hide controls. */
export function canEdit(role: Role | null | undefined): boolean {
  return role === 'admin' || role === 'agent' || role === 'user'
}

export function isStaff(role: Role | null | undefined): boolean {
  return role === 'admin' || role === 'agent'
}

export function isAdmin(role: Role | null | undefined): boolean {
  return role === 'admin'
}

export const ROLE_LABELS: Record<Role, string> = {
  admin: 'Administrator',
  agent: 'Agent',
  user: 'User',
  guest: 'Guest (read only)',
}
