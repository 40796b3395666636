import { beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { mergeFilters, useDashboardFilterStore } from '../dashboardFilter'
import { saveFilter } from '../filterStorage'

describe('dashboard filter', () => {
  beforeEach(() => {
    sessionStorage.clear()
    setActivePinia(createPinia())
  })

  it('narrows a widget filter by the panel fields that are set', () => {
    expect(mergeFilters({ status: ['open'], tag: ['vpn'] }, { status: ['new'], q: '' })).toEqual({
      status: ['new'],
      tag: ['vpn'],
    })
  })

  it('starts from the choice kept in this tab', () => {
    saveFilter({ priority: ['high'] })
    expect(useDashboardFilterStore().filter).toEqual({ priority: ['high'] })
  })

  it('reset on sign-out forgets the choice, so the next person starts unfiltered', () => {
    saveFilter({ priority: ['high'] })
    const store = useDashboardFilterStore()
    store.reset()
    expect(store.filter).toEqual({})
    setActivePinia(createPinia())
    expect(useDashboardFilterStore().filter).toEqual({})
  })
})
