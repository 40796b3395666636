import { createRouter, createWebHistory, type RouteLocationNormalized } from 'vue-router'
import { useAuthStore } from '@/features/auth/authStore'
import { useLayoutStore } from '@/features/dashboard/layoutStore'

declare module 'vue-router' {
  interface RouteMeta {
    /** Signed-out visitors are sent to the sign-in page. */
    requiresAuth?: boolean
    /** Shown inside the app shell (header, menus). */
    shell?: boolean
    /** Shows the person's dashboard (its layout is read during navigation). */
    loadsLayout?: boolean
    title?: string
  }
}

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    {
      path: '/login',
      name: 'login',
      component: () => import('@/features/auth/LoginPage.vue'),
      meta: { title: 'Sign in' },
    },
    {
      path: '/register',
      name: 'register',
      component: () => import('@/features/auth/RegisterPage.vue'),
      meta: { title: 'Create an account' },
    },
    {
      path: '/',
      name: 'dashboard',
      component: () => import('@/features/dashboard/DashboardPage.vue'),
      meta: { requiresAuth: true, shell: true, loadsLayout: true, title: 'Dashboard' },
    },
    {
      // The dashboard with one ticket open in the drawer (src/features/tickets/TicketDrawer.vue).
      path: '/tickets/:id(\\d+)',
      name: 'ticket',
      component: () => import('@/features/dashboard/DashboardPage.vue'),
      meta: { requiresAuth: true, shell: true, loadsLayout: true, title: 'Ticket' },
    },
    {
      // Drill-down links land here: /tickets?filter=<TicketFilter JSON>&count=<the figure clicked>.
      path: '/tickets',
      name: 'tickets',
      component: () => import('@/features/tickets/TicketsPage.vue'),
      meta: { requiresAuth: true, shell: true, title: 'Tickets' },
    },
    {
      // Staff keep their saved replies here (admins: the global ones too).
      path: '/settings/replies',
      name: 'saved-replies',
      component: () => import('@/features/replies/SavedRepliesPage.vue'),
      meta: { requiresAuth: true, shell: true, title: 'Saved replies' },
    },
    {
      // Admin settings: outgoing webhooks (delivery log, "Send test") and API tokens.
      path: '/settings/integrations',
      name: 'integrations',
      component: () => import('@/features/integrations/IntegrationsPage.vue'),
      meta: { requiresAuth: true, shell: true, title: 'Integrations' },
    },
    {
      // Admin settings: teams, members, and who sees a team's tickets.
      path: '/settings/teams',
      name: 'teams',
      component: () => import('@/features/teams/TeamsPage.vue'),
      meta: { requiresAuth: true, shell: true, title: 'Teams' },
    },
    {
      // Admin settings: business calendars (hours, holidays) and SLA policies.
      path: '/settings/calendars',
      name: 'calendars',
      component: () => import('@/features/sla/CalendarsPage.vue'),
      meta: { requiresAuth: true, shell: true, title: 'Business calendars' },
    },
    {
      path: '/settings/sla',
      name: 'sla-policies',
      component: () => import('@/features/sla/PoliciesPage.vue'),
      meta: { requiresAuth: true, shell: true, title: 'SLA policies' },
    },
    {
      // Admin settings: automation rules (triggers, conditions, actions) and their run log.
      path: '/settings/automations',
      name: 'automations',
      component: () => import('@/features/automations/AutomationsPage.vue'),
      meta: { requiresAuth: true, shell: true, title: 'Automations' },
    },
    {
      // Admin settings: mailboxes (test connection, last poll), the mail outbox and quarantine.
      path: '/settings/mailboxes',
      name: 'mailboxes',
      component: () => import('@/features/mail/MailboxesPage.vue'),
      meta: { requiresAuth: true, shell: true, title: 'Mailboxes' },
    },
    {
      // Admin settings: installed plugins, their grants and status, enable / disable.
      path: '/settings/plugins',
      name: 'plugins',
      component: () => import('@/features/plugins/admin/PluginsPage.vue'),
      meta: { requiresAuth: true, shell: true, title: 'Plugins' },
    },
    { path: '/:pathMatch(.*)*', redirect: '/' },
  ],
})

/** Only same-app paths are honoured as a redirect target (never another origin). */
export function safeRedirect(target: unknown): string {
  if (typeof target === 'string' && target.startsWith('/') && !target.startsWith('//')) return target
  return '/'
}

/**
 * Start downloading the route's page while the session is restored: vue-router would only
 * fetch a lazy page after the guards, one round trip later (the first screen's critical path).
 */
function preloadPage(to: RouteLocationNormalized): void {
  for (const record of to.matched) {
    const component = record.components?.default
    if (typeof component === 'function') void (component as () => Promise<unknown>)().catch(() => {})
  }
}

export async function authGuard(to: RouteLocationNormalized) {
  const auth = useAuthStore()
  if (to.meta.requiresAuth) preloadPage(to)
  await auth.boot()
  if (to.meta.requiresAuth && !auth.isAuthenticated) {
    return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } }
  }
  // The dashboard's layout and catalogue are read as soon as the person is known, beside the
  // page's own code (the page joins this load instead of starting its own after mounting).
  if (to.meta.loadsLayout && auth.isAuthenticated && !useLayoutStore().document) void useLayoutStore().load()
  if (to.name === 'login' && auth.isAuthenticated) return safeRedirect(to.query.redirect)
  return true
}

router.beforeEach(authGuard)
router.afterEach((to) => {
  document.title = to.meta.title ? `${to.meta.title} · Deskboard` : 'Deskboard'
})
