import { defineWidget } from '../types'

export default defineWidget({ type: 'ticket-list', component: () => import('./Widget.vue') })
