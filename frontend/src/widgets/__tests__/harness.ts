/** Mounting a widget in tests: a fresh Pinia, a memory router, and a fetch that answers by path. */
import { mount, flushPromises, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { vi } from 'vitest'
import type { Component } from 'vue'
import { createMemoryHistory, createRouter, type Router } from 'vue-router'
import type { WidgetPlacement } from '@/features/dashboard/state/types'

type Answer = unknown | Response | (() => unknown | Response | Promise<unknown | Response>)

export function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
}

/**
 * Stub `fetch`: each request's path (without the query) picks an answer; a plain value is a 200.
 * Returns the mock, whose calls hold the full URLs.
 */
export function mockApi(routes: Record<string, Answer>) {
  const fetchMock = vi.fn(async (input: string | URL | Request) => {
    const url = new URL(String(input), 'http://test')
    const answer = routes[url.pathname]
    if (answer === undefined) return json(404, { detail: `no mock for ${url.pathname}` })
    const value = typeof answer === 'function' ? await (answer as () => unknown)() : answer
    return value instanceof Response ? value : json(200, value)
  })
  vi.stubGlobal('fetch', fetchMock)
  return fetchMock
}

/** The `filter=` a mocked request sent, parsed. */
export function sentFilter(fetchMock: ReturnType<typeof mockApi>, call = -1): unknown {
  const calls = fetchMock.mock.calls
  const url = new URL(String(calls.at(call)![0]), 'http://test')
  return JSON.parse(url.searchParams.get('filter') ?? 'null')
}

export function placement(type: string, settings: Record<string, unknown> = {}, id = 'w1'): WidgetPlacement {
  return { id, type, x: 0, y: 0, w: 4, h: 4, settings }
}

export interface Mounted {
  wrapper: VueWrapper
  router: Router
  pinia: Pinia
}

export async function mountWidget(
  component: Component,
  widget: WidgetPlacement,
  options: { pinia?: Pinia; editing?: boolean } = {},
): Promise<Mounted> {
  const pinia = options.pinia ?? createPinia()
  setActivePinia(pinia)
  const stub = { render: () => null }
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', component: stub },
      { path: '/tickets', component: stub },
      { path: '/tickets/:id', component: stub },
    ],
  })
  await router.push('/')
  await router.isReady()
  const wrapper = mount(component, {
    props: { widget, editing: options.editing ?? false },
    global: { plugins: [pinia, router] },
    attachTo: document.body,
  })
  await flushPromises()
  return { wrapper, router, pinia }
}

export { flushPromises }
