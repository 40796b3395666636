/** Short messages at the corner of the screen (plugins' `ui.toast`, and anyone else's). */
import { ref } from 'vue'

export type ToastKind = 'info' | 'success' | 'error'

export interface Toast {
  id: number
  message: string
  kind: ToastKind
}

export const toasts = ref<Toast[]>([])
let next = 1

export const TOAST_MS = 5000
const MAX_TOASTS = 4

export function dismissToast(id: number): void {
  toasts.value = toasts.value.filter((t) => t.id !== id)
}

export function showToast(message: string, kind: ToastKind = 'info'): void {
  const text = String(message).slice(0, 300)
  if (!text) return
  const id = next++
  toasts.value = [...toasts.value.slice(-(MAX_TOASTS - 1)), { id, message: text, kind }]
  setTimeout(() => dismissToast(id), TOAST_MS)
}
