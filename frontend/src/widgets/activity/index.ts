import { defineWidget } from '../types'

export default defineWidget({ type: 'activity', component: () => import('./Widget.vue') })
