import { computed, ref } from 'vue'
import { defineStore } from 'pinia'
import { api, ApiError, onTokenChange, refreshAccessToken, setAccessToken } from '@/api'
import type { CurrentUser, LoginResponse } from './types'
import { canEdit as roleCanEdit, isAdmin, isStaff } from './roles'

export const useAuthStore = defineStore('auth', () => {
  const user = ref<CurrentUser | null>(null)
  /** False until the first refresh attempt at boot has answered. */
  const ready = ref(false)
  let booting: Promise<void> | null = null

  const isAuthenticated = computed(() => user.value !== null)
  const role = computed(() => user.value?.role ?? null)
  const canEdit = computed(() => roleCanEdit(role.value))
  const staff = computed(() => isStaff(role.value))
  const admin = computed(() => isAdmin(role.value))

  // A refresh anywhere (a 401 retried by the client, the socket) keeps the user in step;
  // a failed refresh means the session ended elsewhere.
  onTokenChange((payload) => {
    if (payload === null) user.value = null
    else if (payload.user) user.value = payload.user as CurrentUser
  })

  /** Restore the session from the refresh cookie (once per page load). */
  function boot(): Promise<void> {
    if (!booting) {
      booting = (async () => {
        try {
          const payload = await refreshAccessToken()
          if (payload) user.value = payload.user as CurrentUser
        } catch {
          // Server unreachable: show the sign-in page; signing in will report the problem.
          user.value = null
        } finally {
          ready.value = true
        }
      })()
    }
    return booting
  }

  async function login(email: string, password: string): Promise<CurrentUser> {
    const payload = await api.post<LoginResponse>(
      '/api/auth/login',
      { email: email.trim(), password },
      { noRefresh: true },
    )
    setAccessToken(payload.access_token)
    user.value = payload.user
    ready.value = true
    return payload.user
  }

  /**
   * Ask for an account. The answer does not say whether the email already had one (202 either
   * way, no session): the person signs in next, like anyone else.
   */
  async function register(email: string, name: string, password: string): Promise<string> {
    const payload = await api.post<{ detail: string }>(
      '/api/auth/register',
      { email: email.trim(), name: name.trim(), password },
      { noRefresh: true },
    )
    return payload.detail
  }

  async function logout(): Promise<void> {
    try {
      await api.post('/api/auth/logout', undefined, { noRefresh: true })
    } catch (error) {
      // Signing out locally still matters when the server cannot be told.
      if (!(error instanceof ApiError)) throw error
    } finally {
      setAccessToken(null)
      user.value = null
    }
  }

  return { user, ready, isAuthenticated, role, canEdit, staff, admin, boot, login, register, logout }
})
