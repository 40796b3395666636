import { createRouter, createWebHistory, type RouteLocationNormalized } from 'vue-router'
import { useAuthStore } from '@/features/auth/authStore'

declare module 'vue-router' {
  interface RouteMeta {
    /** Signed-out visitors are sent to the sign-in page. */
    requiresAuth?: boolean
    /** Shown inside the app shell (header, menus). */
    shell?: boolean
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
      path: '/',
      name: 'dashboard',
      component: () => import('@/features/dashboard/DashboardPage.vue'),
      meta: { requiresAuth: true, shell: true, title: 'Dashboard' },
    },
    {
      // The dashboard with one ticket open in the drawer (src/features/tickets/TicketDrawer.vue).
      path: '/tickets/:id(\\d+)',
      name: 'ticket',
      component: () => import('@/features/dashboard/DashboardPage.vue'),
      meta: { requiresAuth: true, shell: true, title: 'Ticket' },
    },
    {
      // Drill-down links land here: /tickets?filter=<TicketFilter JSON>&count=<the figure clicked>.
      path: '/tickets',
      name: 'tickets',
      component: () => import('@/features/tickets/TicketsPage.vue'),
      meta: { requiresAuth: true, shell: true, title: 'Tickets' },
    },
    { path: '/:pathMatch(.*)*', redirect: '/' },
  ],
})

/** Only same-app paths are honoured as a redirect target (never another origin). */
export function safeRedirect(target: unknown): string {
  if (typeof target === 'string' && target.startsWith('/') && !target.startsWith('//')) return target
  return '/'
}

export async function authGuard(to: RouteLocationNormalized) {
  const auth = useAuthStore()
  await auth.boot()
  if (to.meta.requiresAuth && !auth.isAuthenticated) {
    return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } }
  }
  if (to.name === 'login' && auth.isAuthenticated) return safeRedirect(to.query.redirect)
  return true
}

router.beforeEach(authGuard)
router.afterEach((to) => {
  document.title = to.meta.title ? `${to.meta.title} · Deskboard` : 'Deskboard'
})
