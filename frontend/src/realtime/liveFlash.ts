import type { Directive } from 'vue'

/** How long the highlight of a live change lasts (matches styles/live.css). */
export const LIVE_FLASH_MS = 1600

const timers = new WeakMap<HTMLElement, ReturnType<typeof setTimeout>>()

/**
 * Highlight `el` briefly (class `live-flash`, attribute `data-live-flash` while it lasts);
 * a second change during the highlight starts it again.
 */
export function flashElement(el: HTMLElement): void {
  const running = timers.get(el)
  if (running !== undefined) clearTimeout(running)
  el.classList.remove('live-flash')
  void el.offsetWidth // restart the animation
  el.classList.add('live-flash')
  el.setAttribute('data-live-flash', '')
  timers.set(
    el,
    setTimeout(() => {
      timers.delete(el)
      el.classList.remove('live-flash')
      el.removeAttribute('data-live-flash')
    }, LIVE_FLASH_MS),
  )
}

function key(value: unknown): string {
  if (value === null || typeof value !== 'object') return String(value)
  try {
    return JSON.stringify(value)
  } catch {
    return String(value)
  }
}

/**
 * `v-live-flash="value"`: highlight the element when `value` changes after it first showed
 * (a ticket's `updated_at`, a KPI figure), never on the first render.
 */
export const vLiveFlash: Directive<HTMLElement, unknown> = {
  updated(el, binding) {
    if (key(binding.value) !== key(binding.oldValue)) flashElement(el)
  },
  beforeUnmount(el) {
    const running = timers.get(el)
    if (running !== undefined) clearTimeout(running)
    timers.delete(el)
  },
}
