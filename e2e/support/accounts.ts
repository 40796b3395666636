export type Role = 'admin' | 'agent' | 'user' | 'guest'

export interface Account {
  role: Role
  email: string
  password: string
  name: string
}

/**
 * The people the e2e server is created with (global setup), one per role. Their passwords follow
 * the server's policy (15+ characters, not common, without the email, name or 'deskboard'):
 * `deskboard create-user` refuses any other.
 */
export const ACCOUNTS: Record<Role, Account> = {
  admin: { role: 'admin', email: 'admin@e2e.test', password: 'copper-kettle-lantern-41', name: 'Ada Admin' },
  agent: { role: 'agent', email: 'agent@e2e.test', password: 'river-stone-harbour-42', name: 'Alex Agent' },
  user: { role: 'user', email: 'user@e2e.test', password: 'quiet-orchard-morning-43', name: 'Uma User' },
  guest: { role: 'guest', email: 'guest@e2e.test', password: 'paper-compass-meadow-44', name: 'Gil Guest' },
}
