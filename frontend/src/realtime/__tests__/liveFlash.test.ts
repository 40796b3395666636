import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h, nextTick, ref, withDirectives } from 'vue'
import { mount } from '@vue/test-utils'
import { flashElement, LIVE_FLASH_MS, vLiveFlash } from '../liveFlash'

beforeEach(() => vi.useFakeTimers())
afterEach(() => vi.useRealTimers())

describe('live flash', () => {
  it('highlights an element for a moment, and a second change starts it again', () => {
    const el = document.createElement('div')
    flashElement(el)
    expect(el.classList.contains('live-flash')).toBe(true)
    expect(el.hasAttribute('data-live-flash')).toBe(true)
    vi.advanceTimersByTime(LIVE_FLASH_MS - 100)
    flashElement(el)
    vi.advanceTimersByTime(LIVE_FLASH_MS - 100)
    expect(el.classList.contains('live-flash')).toBe(true)
    vi.advanceTimersByTime(100)
    expect(el.classList.contains('live-flash')).toBe(false)
    expect(el.hasAttribute('data-live-flash')).toBe(false)
  })

  it('v-live-flash flashes when its value changes, never on the first render', async () => {
    const value = ref<unknown>(3)
    const other = ref(0)
    const Comp = defineComponent({
      setup: () => () => withDirectives(h('p', `${other.value}`), [[vLiveFlash, value.value]]),
    })
    const wrapper = mount(Comp)
    const el = wrapper.element as HTMLElement
    expect(el.classList.contains('live-flash')).toBe(false)
    other.value++ // a re-render with the same value
    await nextTick()
    expect(el.classList.contains('live-flash')).toBe(false)
    value.value = 4
    await nextTick()
    expect(el.classList.contains('live-flash')).toBe(true)
    wrapper.unmount()
  })
})
