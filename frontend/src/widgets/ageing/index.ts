import { defineWidget } from '../types'

export default defineWidget({ type: 'ageing', component: () => import('./Widget.vue') })
