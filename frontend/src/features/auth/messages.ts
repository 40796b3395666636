import { ApiError } from '@/api'

/** "Try again in 2 minutes" from the server's "... try again in 120 seconds" (429), if present. */
export function waitText(detail: unknown): string | null {
  const match = typeof detail === 'string' ? /try again in (\d+) seconds?/i.exec(detail) : null
  if (!match) return null
  const seconds = Number(match[1])
  if (seconds < 90) return `Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`
  const minutes = Math.ceil(seconds / 60)
  return `Try again in ${minutes} minutes.`
}

function common(failure: ApiError): string | null {
  if (failure.isNetworkError) return 'The server cannot be reached. Check your connection and try again.'
  if (failure.status === 429) return `Too many attempts. ${waitText(failure.detail) ?? 'Wait a minute and try again.'}`
  if (failure.status >= 500) return 'The server had a problem. Try again in a moment.'
  return null
}

/** What the sign-in form says about a failed sign-in. */
export function signInMessage(failure: unknown): string {
  if (!(failure instanceof ApiError)) return 'Sign-in failed. Try again.'
  if (failure.status === 401) return 'Wrong email or password.'
  if (failure.status === 403) return 'This account is disabled. Ask an administrator.'
  if (failure.status === 422) return 'Enter a valid email address and your password.'
  return common(failure) ?? failure.message
}

export type RegisterField = 'email' | 'name' | 'password'

export interface RegisterProblem {
  message: string
  /** The server's reason per field on a 422 ("password must be at least 15 characters"). */
  fields: Partial<Record<RegisterField, string>>
}

const FIELDS: readonly RegisterField[] = ['email', 'name', 'password']

function sentence(text: string): string {
  const trimmed = text.replace(/^Value error, /, '').trim()
  return trimmed.charAt(0).toUpperCase() + trimmed.slice(1) + (/[.!?]$/.test(trimmed) ? '' : '.')
}

/** What the registration form says about a refused registration, per field where it can. */
export function registerProblem(failure: unknown): RegisterProblem {
  if (!(failure instanceof ApiError)) return { message: 'Registration failed. Try again.', fields: {} }
  if (failure.status === 403) return { message: 'Registration is turned off here. Ask an administrator for an account.', fields: {} }
  if (failure.status === 422 && Array.isArray(failure.detail)) {
    const fields: RegisterProblem['fields'] = {}
    for (const item of failure.detail as { loc?: unknown; msg?: unknown }[]) {
      const loc: unknown[] = Array.isArray(item.loc) ? item.loc : []
      const field = FIELDS.find((f) => f === loc[loc.length - 1])
      if (field && !fields[field]) fields[field] = sentence(String(item.msg ?? 'Not accepted'))
    }
    return { message: 'Check the highlighted fields.', fields }
  }
  return { message: common(failure) ?? failure.message, fields: {} }
}
