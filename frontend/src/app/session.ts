import { useLayoutStore } from '@/features/dashboard/layoutStore'
import { realtime } from '@/realtime'
import { useDashboardFilterStore } from '@/widgets/shared/dashboardFilter'

/** Drop everything of the signed-in person from memory (sign-out, or the session expired). */
export function endSession(): void {
  realtime.stop()
  useLayoutStore().reset()
  useDashboardFilterStore().reset()
}
