import { ref, watch } from 'vue'

export type ThemeChoice = 'system' | 'light' | 'dark'
const STORAGE_KEY = 'deskboard.theme'

function readChoice(): ThemeChoice {
  try {
    const saved = localStorage.getItem(STORAGE_KEY)
    if (saved === 'light' || saved === 'dark') return saved
  } catch {
    // Storage may be blocked (private mode): follow the system.
  }
  return 'system'
}

function systemPrefersDark(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches
}

/** The person's theme choice, shared by every component; applied to <html data-theme>. */
export const themeChoice = ref<ThemeChoice>(readChoice())

function apply(choice: ThemeChoice): void {
  const root = document.documentElement
  if (choice === 'system') delete root.dataset.theme
  else root.dataset.theme = choice
  try {
    if (choice === 'system') localStorage.removeItem(STORAGE_KEY)
    else localStorage.setItem(STORAGE_KEY, choice)
  } catch {
    // Not persisted; the choice still holds for this page.
  }
}

watch(themeChoice, apply, { immediate: true })

/** The theme actually shown. */
export function effectiveTheme(): 'light' | 'dark' {
  if (themeChoice.value === 'system') return systemPrefersDark() ? 'dark' : 'light'
  return themeChoice.value
}

/** Flip between light and dark (from whatever is showing now). */
export function toggleTheme(): void {
  themeChoice.value = effectiveTheme() === 'dark' ? 'light' : 'dark'
}
