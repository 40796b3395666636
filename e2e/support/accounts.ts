export type Role = 'admin' | 'agent' | 'user' | 'guest'

export interface Account {
  role: Role
  email: string
  password: string
  name: string
}

/** The people the e2e server is created with (global setup), one per role. */
export const ACCOUNTS: Record<Role, Account> = {
  admin: { role: 'admin', email: 'admin@e2e.test', password: 'admin-pass-123', name: 'Ada Admin' },
  agent: { role: 'agent', email: 'agent@e2e.test', password: 'agent-pass-123', name: 'Alex Agent' },
  user: { role: 'user', email: 'user@e2e.test', password: 'user-pass-1234', name: 'Uma User' },
  guest: { role: 'guest', email: 'guest@e2e.test', password: 'guest-pass-123', name: 'Gil Guest' },
}
