import { definePlugin } from '@deskboard/sdk'
import Roster from './Roster.vue'

export default definePlugin({
  pluginApi: '>=1,<2',
  widgets: { 'oncall-roster': Roster },
})
