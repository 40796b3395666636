/** Mounting ticket widgets in tests: a fake API behind fetch, Pinia, a memory router, a signed-in role. */
import { vi } from 'vitest'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter, type Router } from 'vue-router'
import { defineComponent, h, type Component } from 'vue'
import { useAuthStore } from '@/features/auth/authStore'
import type { Role } from '@/features/auth/types'

export interface Call {
  method: string
  path: string
  query: URLSearchParams
  body: unknown
}

export type Reply = { status: number; body?: unknown } | Promise<{ status: number; body?: unknown }>
export type Route = (call: Call) => Reply | undefined

/** Replace fetch: each call goes to the first route that answers; unknown calls are 404. */
export function fakeApi(...routes: Route[]): { calls: Call[] } {
  const calls: Call[] = []
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: string, init: RequestInit = {}) => {
      const url = new URL(input, 'http://test.local')
      const call: Call = {
        method: init.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
      }
      calls.push(call)
      if (init.signal?.aborted) throw new DOMException('aborted', 'AbortError')
      for (const route of routes) {
        const reply = route(call)
        if (reply) {
          const { status, body } = await reply
          return new Response(body === undefined ? null : JSON.stringify(body), {
            status,
            headers: { 'Content-Type': 'application/json' },
          })
        }
      }
      return new Response(JSON.stringify({ detail: 'Not Found' }), { status: 404 })
    }),
  )
  return { calls }
}

/** A route answering `method path` (path: exact string or pattern). */
export function answer(method: string, path: string | RegExp, reply: (call: Call) => Reply): Route {
  return (call) => {
    const matches = typeof path === 'string' ? call.path === path : path.test(call.path)
    return call.method === method && matches ? reply(call) : undefined
  }
}

/** A reply that never comes (the loading state). */
export const never = (): Reply => new Promise(() => undefined)

export function person(id: number, name = `Person ${id}`) {
  return { id, name, email: `p${id}@example.test` }
}

export function ticket(id: number, extra: Record<string, unknown> = {}) {
  return {
    id,
    number: 1000 + id,
    title: `Ticket ${id}`,
    description: '',
    status: 'open',
    priority: 'normal',
    requester: person(50, 'Rita Requester'),
    assignee: null,
    tags: [],
    due_at: null,
    first_response_at: null,
    resolved_at: null,
    overdue: false,
    created_at: '2026-11-20T10:00:00Z',
    updated_at: '2026-11-21T10:00:00Z',
    version: 1,
    ...extra,
  }
}

export interface Mounted {
  wrapper: VueWrapper
  router: Router
}

/** Mount `component` with `props` (a widget of `settings` when no props are given), signed in as `role`. */
export async function mountWith(
  component: Component,
  options: { settings?: Record<string, unknown>; props?: Record<string, unknown>; role?: Role; path?: string } = {},
): Promise<Mounted> {
  const pinia = createPinia()
  setActivePinia(pinia)
  useAuthStore().user = { id: 7, name: 'Alex Agent', email: 'agent@example.test', role: options.role ?? 'agent' }
  const Page = defineComponent({ render: () => h('div') })
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', name: 'dashboard', component: Page },
      { path: '/tickets/:id', name: 'ticket', component: Page },
    ],
  })
  await router.push(options.path ?? '/')
  await router.isReady()
  const widget = { id: 'w1', type: 'widget', x: 0, y: 0, w: 6, h: 4, settings: options.settings ?? {} }
  const wrapper = mount(component, {
    props: options.props ?? { widget, editing: false },
    global: { plugins: [pinia, router] },
    attachTo: document.body,
  })
  await flushPromises()
  return { wrapper, router }
}

export function mountWidget(component: Component, settings: Record<string, unknown> = {}, options: { role?: Role } = {}) {
  return mountWith(component, { settings, role: options.role })
}

export { flushPromises }
