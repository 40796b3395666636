import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h, inject, ref } from 'vue'
import { enableAutoUnmount, flushPromises } from '@vue/test-utils'
import { DESKBOARD_CONTEXT, useDeskboard, widgetProps } from '@deskboard/sdk'
import { createPinia, setActivePinia } from 'pinia'
import PluginWidget from '../PluginWidget.vue'
import WidgetFrame from '@/features/dashboard/canvas/WidgetFrame.vue'
import { useLayoutStore } from '@/features/dashboard/layoutStore'
import { forgetPluginLoads, loaderDefaults, LOAD_TIMEOUT_MS, browserImport } from '../loader'
import type { PluginFrontend } from '../types'
import { mockApi, mountWidget, placement } from '@/widgets/__tests__/harness'

function frontend(plugin: string, over: Partial<PluginFrontend> = {}): PluginFrontend {
  return {
    module: `/plugins/${plugin}/1.0.0/${plugin}.js`,
    css: [],
    mode: 'inpage',
    plugin,
    version: '1.0.0',
    core_reads: [],
    events: [`plugin.${plugin}.`],
    ...over,
  }
}

const Greeting = defineComponent({
  props: widgetProps,
  setup(props) {
    const { plugin } = useDeskboard()
    return () => h('p', { class: 'greeting' }, `${plugin.name}: ${String(props.settings.text)} (${props.size.w}x${props.size.h})`)
  },
})
const Throws = defineComponent({
  setup() {
    throw new Error('kaboom in setup')
  },
})

const modules: Record<string, () => Promise<Record<string, unknown>>> = {
  '/plugins/good/1.0.0/good.js': async () => ({ default: { widgets: { greeting: Greeting } } }),
  '/plugins/bad/1.0.0/bad.js': async () => ({ default: { widgets: { throws: Throws } } }),
  '/plugins/gone/1.0.0/gone.js': async () => {
    throw new TypeError('Failed to resolve module specifier "left-pad"')
  },
  '/plugins/future/1.0.0/future.js': async () => ({ default: { pluginApi: '>=2,<3', widgets: { later: Greeting } } }),
  '/plugins/slow/1.0.0/slow.js': () => new Promise(() => undefined),
}

enableAutoUnmount(afterEach)

beforeEach(() => {
  loaderDefaults.importer = (url) => modules[url]!()
  loaderDefaults.timeoutMs = 50
})

afterEach(() => {
  loaderDefaults.importer = browserImport
  loaderDefaults.timeoutMs = LOAD_TIMEOUT_MS
  forgetPluginLoads()
  document.body.innerHTML = ''
})

async function settle(): Promise<void> {
  for (let i = 0; i < 4; i++) {
    await flushPromises()
    await new Promise((resolve) => setTimeout(resolve, 0))
  }
}

describe('the plugin widget host', () => {
  it('renders a plugin component with its props and the SDK context', async () => {
    mockApi({})
    const pinia = createPinia()
    setActivePinia(pinia)
    const { wrapper } = await mountWidget(
      defineComponent({
        inheritAttrs: false,
        setup: () => () =>
          h(PluginWidget, { widget: placement('greeting', { text: 'hello' }), editing: false, frontend: frontend('good') }),
      }),
      placement('x'),
      { pinia },
    )
    await settle()
    expect(wrapper.find('.greeting').text()).toBe('good: hello (4x4)')
    expect(wrapper.find('[data-plugin-state="ready"]').exists()).toBe(true)
  })

  it('keeps a plugin that throws on mount in its own cell, beside a working one', async () => {
    mockApi({})
    const Both = defineComponent({
      inheritAttrs: false,
      setup: () => () =>
        h('div', [
          h(PluginWidget, { widget: placement('throws', {}, 'w1'), editing: false, frontend: frontend('bad') }),
          h(PluginWidget, { widget: placement('greeting', { text: 'still here' }, 'w2'), editing: false, frontend: frontend('good') }),
        ]),
    })
    vi.spyOn(console, 'error').mockImplementation(() => undefined)
    vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    const { wrapper } = await mountWidget(Both, placement('x'))
    await settle()
    const cards = wrapper.findAll('[data-testid="plugin-error"]')
    expect(cards).toHaveLength(1)
    expect(cards[0]!.text()).toContain('Plugin “bad” failed')
    expect(cards[0]!.text()).toContain('kaboom in setup')
    expect(wrapper.find('.greeting').text()).toContain('still here')
  })

  it.each([
    ['fails to import', 'gone', 'x', /could not be loaded: Failed to resolve module specifier "left-pad"/],
    ['declares another plugin API', 'future', 'later', /needs plugin API >=2,<3; this Deskboard provides plugin API 1/],
    ['does not load in time', 'slow', 'x', /did not load within/],
    ['has no component for the type', 'good', 'other', /no component for “other”/],
  ])('shows an error card when the module %s', async (_, plugin, type, message) => {
    mockApi({})
    const Host = defineComponent({
      inheritAttrs: false,
      setup: () => () => h(PluginWidget, { widget: placement(type), editing: false, frontend: frontend(plugin) }),
    })
    const { wrapper } = await mountWidget(Host, placement('x'))
    await vi.waitFor(async () => {
      await settle()
      expect(wrapper.find('[data-testid="plugin-error-message"]').text()).toMatch(message)
    })
  })

  it('tries again from the error card', async () => {
    mockApi({})
    let fail = true
    loaderDefaults.importer = async () => {
      if (fail) throw new Error('offline')
      return { default: Greeting }
    }
    const Host = defineComponent({
      inheritAttrs: false,
      setup: () => () => h(PluginWidget, { widget: placement('greeting', { text: 'back' }), editing: false, frontend: frontend('good') }),
    })
    const { wrapper } = await mountWidget(Host, placement('x'))
    await settle()
    expect(wrapper.find('[data-testid="plugin-error"]').exists()).toBe(true)
    fail = false
    await wrapper.find('[data-testid="plugin-retry"]').trigger('click')
    await settle()
    expect(wrapper.find('.greeting').text()).toContain('back')
  })

  it('lends a context whose client refuses calls outside the plugin’s grants before fetching', async () => {
    const fetchMock = mockApi({ '/api/plugins/good/now': { who: 'Ada' } })
    let context: ReturnType<typeof useDeskboard> | null = null
    const Spy = defineComponent({
      setup() {
        context = inject(DESKBOARD_CONTEXT)!
        return () => h('i')
      },
    })
    loaderDefaults.importer = async () => ({ default: Spy })
    const Host = defineComponent({
      inheritAttrs: false,
      setup: () => () => h(PluginWidget, { widget: placement('spy'), editing: false, frontend: frontend('good') }),
    })
    await mountWidget(Host, placement('x'))
    await settle()
    expect(context).not.toBeNull()
    await expect(context!.api.get('now')).resolves.toEqual({ who: 'Ada' })
    await expect(context!.api.get('/api/tickets')).rejects.toMatchObject({ status: 403 })
    await expect(context!.api.post('/api/plugins/other/x', {})).rejects.toMatchObject({ status: 403 })
    expect(() => context!.events.on('ticket.created', () => undefined)).toThrow(/may not receive/)
    expect(fetchMock).toHaveBeenCalledTimes(1)
    const [, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit]
    expect(String(fetchMock.mock.calls[0]![0])).toBe('/api/plugins/good/now')
    expect(init.credentials).toBe('same-origin')
  })
})

describe('a layout widget whose plugin is disabled or missing', () => {
  it('waits for the catalogue before calling a type unavailable', async () => {
    mockApi({})
    const pinia = createPinia()
    setActivePinia(pinia)
    const store = useLayoutStore()
    const widget = placement('oncall-roster')
    const { wrapper } = await mountWidget(
      defineComponent({
        inheritAttrs: false,
        setup: () => () => h(WidgetFrame, { widget, title: 'On call', icon: 'phone', editing: false, carried: false }),
      }),
      placement('x'),
      { pinia },
    )
    await settle()
    expect(wrapper.find('[data-testid="unknown-widget"]').exists()).toBe(false)
    expect(wrapper.find('.loading').exists()).toBe(true)
    store.catalogueSettled = true
    await settle()
    expect(wrapper.find('[data-testid="unknown-widget"]').exists()).toBe(true)
  })

  it('shows the unavailable card and keeps the widget', async () => {
    mockApi({})
    const pinia = createPinia()
    setActivePinia(pinia)
    const store = useLayoutStore()
    store.catalogue = []
    store.catalogueSettled = true
    const widget = placement('oncall-roster', { show_next: true })
    const { wrapper } = await mountWidget(
      defineComponent({
        inheritAttrs: false,
        setup: () => () => h(WidgetFrame, { widget, title: 'On call', icon: 'phone', editing: false, carried: false }),
      }),
      placement('x'),
      { pinia },
    )
    await settle()
    const card = wrapper.find('[data-testid="unknown-widget"]')
    expect(card.text()).toContain('“oncall-roster” is unavailable')
    expect(card.text()).toContain('comes back when the plugin is enabled')
  })

  it('offers only Remove in its menu: the server refuses a copy or new settings', async () => {
    mockApi({})
    const pinia = createPinia()
    setActivePinia(pinia)
    const store = useLayoutStore()
    store.catalogue = []
    store.catalogueSettled = true
    const { wrapper } = await mountWidget(
      defineComponent({
        inheritAttrs: false,
        setup: () => () =>
          h('div', [
            h(WidgetFrame, { widget: placement('oncall-roster'), title: 'On call', icon: 'phone', editing: true, carried: false }),
            h(WidgetFrame, { widget: placement('kpi', {}, 'k1'), title: 'Open', icon: 'kpi', editing: true, carried: false }),
          ]),
      }),
      placement('x'),
      { pinia },
    )
    await settle()
    const menus = wrapper.findAll('[aria-haspopup="menu"]')
    expect(menus).toHaveLength(2)
    for (const menu of menus) await menu.trigger('click')
    const items = (root: string) => wrapper.findAll(`[data-testid$="-${root}"][role="menuitem"]`).map((b) => b.attributes('data-testid'))
    expect(items('w1')).toEqual(['widget-remove-w1'])
    expect(items('k1')).toEqual(['widget-settings-k1', 'widget-duplicate-k1', 'widget-remove-k1'])
  })

  it('renders the plugin again once the catalogue has its type', async () => {
    mockApi({})
    const pinia = createPinia()
    setActivePinia(pinia)
    const store = useLayoutStore()
    store.catalogue = []
    store.catalogueSettled = true
    const widget = placement('greeting', { text: 'returned' })
    const shown = ref(true)
    const { wrapper } = await mountWidget(
      defineComponent({
        inheritAttrs: false,
        setup: () => () =>
          shown.value ? h(WidgetFrame, { widget, title: 'Greeting', icon: 'plug', editing: false, carried: false }) : null,
      }),
      placement('x'),
      { pinia },
    )
    await settle()
    expect(wrapper.find('[data-testid="unknown-widget"]').exists()).toBe(true)
    store.catalogue = [
      {
        type: 'greeting',
        title: 'Greeting',
        description: '',
        icon: 'plug',
        category: 'test',
        default_size: { w: 2, h: 2 },
        min_size: { w: 1, h: 1 },
        settings_schema: {},
        source: 'good',
        frontend: frontend('good'),
      },
    ]
    await settle()
    expect(wrapper.find('.greeting').text()).toContain('returned')
  })
})
