import { defineWidget } from '../types'

export default defineWidget({ type: 'sla', component: () => import('./Widget.vue') })
