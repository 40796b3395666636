import { defineWidget } from '../types'

export default defineWidget({ type: 'new-ticket', component: () => import('./Widget.vue') })
