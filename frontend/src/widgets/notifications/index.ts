import { defineWidget } from '../types'

export default defineWidget({ type: 'notifications', component: () => import('./Widget.vue') })
