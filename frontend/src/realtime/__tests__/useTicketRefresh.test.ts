import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

const handlers = new Map<string, ((event: unknown) => void)[]>()
vi.mock('../index', () => ({
  realtime: {
    subscribe: (type: string, handler: (event: unknown) => void) => {
      handlers.set(type, [...(handlers.get(type) ?? []), handler])
      return () => handlers.set(type, (handlers.get(type) ?? []).filter((h) => h !== handler))
    },
  },
}))

const { useTicketRefresh } = await import('../useServerEvents')

function emit(type = 'ticket.updated'): void {
  for (const handler of handlers.get(type) ?? []) handler({ type, data: {} })
}

beforeEach(() => {
  handlers.clear()
  vi.useFakeTimers()
})
afterEach(() => vi.useRealTimers())

describe('useTicketRefresh', () => {
  it('reloads once after a burst goes quiet', () => {
    const reload = vi.fn()
    useTicketRefresh(reload, 400, 3_000)
    emit()
    vi.advanceTimersByTime(200)
    emit('ticket.created')
    vi.advanceTimersByTime(399)
    expect(reload).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1)
    expect(reload).toHaveBeenCalledTimes(1)
  })

  it('still reloads while events never stop coming (at most maxWait after the first)', () => {
    const reload = vi.fn()
    useTicketRefresh(reload, 400, 3_000)
    for (let elapsed = 0; elapsed < 10_000; elapsed += 250) {
      emit()
      vi.advanceTimersByTime(250)
    }
    // One reload per ~3 s of uninterrupted events, instead of none at all.
    expect(reload.mock.calls.length).toBeGreaterThanOrEqual(3)
    expect(reload.mock.calls.length).toBeLessThanOrEqual(4)
  })

  it('reloads after a resync and stops when stopped', () => {
    const reload = vi.fn()
    const stop = useTicketRefresh(reload)
    emit('resync')
    vi.advanceTimersByTime(400)
    expect(reload).toHaveBeenCalledTimes(1)
    emit()
    stop()
    vi.advanceTimersByTime(5_000)
    emit()
    vi.advanceTimersByTime(5_000)
    expect(reload).toHaveBeenCalledTimes(1)
  })
})
