import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import { defineComponent, h } from 'vue'
import RegisterPage from '../RegisterPage.vue'
import { useAuthStore } from '../authStore'
import { answer, fakeApi } from '@/features/tickets/__tests__/harness'

const ACCEPTED = 'Thank you. If this email address had no account, it has one now: sign in with the password you chose.'

afterEach(() => {
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

async function mountPage() {
  const pinia = createPinia()
  setActivePinia(pinia)
  const Page = defineComponent({ render: () => h('div') })
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/register', name: 'register', component: Page },
      { path: '/login', name: 'login', component: Page },
    ],
  })
  await router.push('/register')
  await router.isReady()
  const wrapper = mount(RegisterPage, { global: { plugins: [pinia, router] }, attachTo: document.body })
  return { wrapper, router }
}

async function fill(wrapper: Awaited<ReturnType<typeof mountPage>>['wrapper'], password: string) {
  await wrapper.find('[data-testid="register-name"]').setValue(' Nora New ')
  await wrapper.find('[data-testid="register-email"]').setValue(' nora@example.test ')
  await wrapper.find('[data-testid="register-password"]').setValue(password)
  await wrapper.find('form').trigger('submit')
  await flushPromises()
}

describe('register page', () => {
  it('sends the form, shows the server’s answer and signs no one in', async () => {
    const { calls } = fakeApi(answer('POST', '/api/auth/register', () => ({ status: 202, body: { detail: ACCEPTED } })))
    const { wrapper } = await mountPage()
    await fill(wrapper, 'three unrelated words')

    expect(calls).toHaveLength(1)
    expect(calls[0]!.body).toEqual({ email: 'nora@example.test', name: 'Nora New', password: 'three unrelated words' })
    expect(wrapper.find('[data-testid="register-accepted"]').text()).toContain(ACCEPTED)
    expect(wrapper.find('[data-testid="register-to-login"]').attributes('href')).toBe('/login')
    expect(useAuthStore().isAuthenticated).toBe(false)
  })

  it('shows why the server refused the password, on the password field', async () => {
    fakeApi(
      answer('POST', '/api/auth/register', () => ({
        status: 422,
        body: { detail: [{ loc: ['body', 'password'], msg: 'Value error, password must be at least 15 characters', type: 'value_error' }] },
      })),
    )
    const { wrapper } = await mountPage()
    await fill(wrapper, 'too-short')

    expect(wrapper.find('[data-testid="register-password-error"]').text()).toBe('Password must be at least 15 characters.')
    expect(wrapper.find('[data-testid="register-password"]').attributes('aria-invalid')).toBe('true')
    expect(wrapper.find('[data-testid="register-accepted"]').exists()).toBe(false)
  })

  it('says so when registration is turned off', async () => {
    fakeApi(answer('POST', '/api/auth/register', () => ({ status: 403, body: { detail: 'Registration is turned off' } })))
    const { wrapper } = await mountPage()
    await fill(wrapper, 'three unrelated words')

    expect(wrapper.find('[data-testid="register-error"]').text()).toContain('turned off')
  })

  it('does not send an incomplete form', async () => {
    const { calls } = fakeApi()
    const { wrapper } = await mountPage()
    await wrapper.find('form').trigger('submit')
    await flushPromises()

    expect(calls).toHaveLength(0)
    expect(wrapper.find('[data-testid="register-error"]').text()).toBe('Fill in every field.')
    expect(wrapper.find('[data-testid="register-name"]').attributes('aria-invalid')).toBe('true')
  })
})
