import { defineWidget } from '../types'

export default defineWidget({ type: 'ticket-detail', component: () => import('./Widget.vue') })
