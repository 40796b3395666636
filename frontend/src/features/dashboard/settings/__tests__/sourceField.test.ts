import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import Ajv2020 from 'ajv/dist/2020'
import { useAuthStore } from '@/features/auth/authStore'
import { resetViews } from '@/widgets/ticket-list/view'
import { answer, fakeApi, never } from '@/features/tickets/__tests__/harness'
import { fieldsFromSchema, SOURCE_KEYWORD, type SettingsField } from '../schemaForm'
import { validateSettings } from '../validate'
import SettingsFieldControl from '../SettingsField.vue'

// The ticket list's settings as the catalogue gives them (deskboard/widgets/builtin.py), trimmed.
const schema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  additionalProperties: false,
  properties: {
    title: { type: 'string', maxLength: 80 },
    page_size: { type: 'integer', minimum: 5, maximum: 100 },
    view_id: { type: ['integer', 'null'], minimum: 1, maximum: 2 ** 31 - 1, [SOURCE_KEYWORD]: 'views' },
    other: { type: 'integer', [SOURCE_KEYWORD]: 'unheard-of' },
  },
}

const views = [
  { id: 4, name: 'My urgent', filter: {}, columns: ['number'], sort: '-updated_at', shared: false, owner: { id: 7, name: 'Alex Agent' } },
  { id: 9, name: 'Team backlog', filter: {}, columns: ['number'], sort: '-updated_at', shared: true, owner: { id: 3, name: 'Sam Lead' } },
]

function viewField(): SettingsField {
  const field = fieldsFromSchema(schema).find((f) => f.name === 'view_id')
  if (!field) throw new Error('no view_id field')
  return field
}

async function mountField(modelValue: unknown) {
  const pinia = createPinia()
  setActivePinia(pinia)
  useAuthStore().user = { id: 7, name: 'Alex Agent', email: 'agent@example.test', role: 'agent' }
  const wrapper = mount(SettingsFieldControl, {
    props: { field: viewField(), modelValue, errors: [], idPrefix: 'settings-w1', statuses: [], priorities: [] },
    global: { plugins: [pinia] },
    attachTo: document.body,
  })
  await flushPromises()
  return wrapper
}

enableAutoUnmount(afterEach)
beforeEach(() => resetViews())
afterEach(() => {
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

describe('a setting with a source of choices', () => {
  it('maps x-deskboard-source to a source field, and an unknown source to its plain control', () => {
    const fields = fieldsFromSchema(schema)
    expect(fields.find((f) => f.name === 'view_id')).toMatchObject({ kind: 'source', source: 'views', numeric: true, nullable: true, label: 'Saved view' })
    expect(fields.find((f) => f.name === 'other')).toMatchObject({ kind: 'integer' })
  })

  it('is accepted by the validator, also by a strict Ajv once the keyword is declared', () => {
    expect(validateSettings(schema, { view_id: 4 })).toEqual({})
    expect(validateSettings(schema, { view_id: null })).toEqual({})
    expect(validateSettings(schema, { view_id: 0 })).toHaveProperty('view_id')
    const strict = new Ajv2020({ strict: true })
    expect(() => strict.compile(schema)).toThrow(/unknown keyword/)
    strict.addKeyword({ keyword: SOURCE_KEYWORD, schemaType: 'string' })
    expect(strict.validate(schema, { view_id: 4 })).toBe(true)
  })

  it('lists the views the person sees, with None, and stores the id as a number', async () => {
    fakeApi(answer('GET', '/api/views', () => ({ status: 200, body: views })))
    const wrapper = await mountField(undefined)
    const select = wrapper.find('select')
    expect(wrapper.find('label').text()).toContain('Saved view')
    expect(select.findAll('option').map((o) => o.text())).toEqual(['None', 'My urgent', 'Team backlog (shared by Sam Lead)'])
    expect(select.element.value).toBe('')
    await select.setValue('9')
    expect(wrapper.emitted('update:modelValue')?.at(-1)).toEqual([9])
    await select.setValue('')
    expect(wrapper.emitted('update:modelValue')?.at(-1)).toEqual([undefined])
  })

  it('shows the chosen view, and keeps one it can no longer list', async () => {
    fakeApi(answer('GET', '/api/views', () => ({ status: 200, body: views })))
    const chosen = await mountField(9)
    expect(chosen.find('select').element.value).toBe('9')
    chosen.unmount()
    resetViews()
    const gone = await mountField(77)
    expect(gone.find('select').element.value).toBe('77')
    expect(gone.find('select option:checked').text()).toContain('not available')
    expect(gone.emitted('update:modelValue')).toBeUndefined()
  })

  it('shows loading, then an error with Retry', async () => {
    fakeApi(answer('GET', '/api/views', never))
    const loading = await mountField(undefined)
    expect(loading.find('select').attributes('disabled')).toBeDefined()
    expect(loading.find('[role="status"]').text()).toContain('Loading saved views')
    loading.unmount()
    vi.unstubAllGlobals()
    resetViews() // drop the request that never answers

    let fail = true
    fakeApi(answer('GET', '/api/views', () => (fail ? { status: 500, body: { detail: 'down' } } : { status: 200, body: views })))
    const wrapper = await mountField(4)
    expect(wrapper.find('[role="alert"]').text()).toContain('could not be loaded')
    expect(wrapper.find('select').element.value).toBe('4')
    fail = false
    await wrapper.find('[data-testid="settings-source-retry-view_id"]').trigger('click')
    await flushPromises()
    expect(wrapper.find('[role="alert"]').exists()).toBe(false)
    expect(wrapper.find('select option:checked').text()).toBe('My urgent')
  })

  it('says when there are no views yet', async () => {
    fakeApi(answer('GET', '/api/views', () => ({ status: 200, body: [] })))
    const wrapper = await mountField(undefined)
    expect(wrapper.text()).toContain('You have no saved views yet')
  })
})
