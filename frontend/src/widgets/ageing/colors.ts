/**
 * Age band colours by position, youngest to oldest: older is worse, so the colours walk from calm
 * to alarming whatever the number of bands (the API cuts 2 to 9 from the widget's buckets_days).
 */
export const AGE_RAMP = ['--chart-2', '--chart-1', '--chart-4', '--chart-3', '--chart-5'] as const

/**
 * The colour of band `index` of `count`: the first band the calmest, the last the most alarming,
 * the ones between spread evenly over the ramp (mixing its two neighbours where a band falls
 * between two tokens). Five bands get exactly the ramp's tokens.
 */
export function ageColor(index: number, count: number): string {
  const last = AGE_RAMP.length - 1
  if (count <= 1) return `var(${AGE_RAMP[0]})`
  const at = (Math.min(Math.max(index, 0), count - 1) * last) / (count - 1)
  const lower = Math.floor(at)
  const share = Math.round((1 - (at - lower)) * 100)
  if (share === 100 || lower >= last) return `var(${AGE_RAMP[lower]})`
  if (share === 0) return `var(${AGE_RAMP[lower + 1]})`
  return `color-mix(in srgb, var(${AGE_RAMP[lower]}) ${share}%, var(${AGE_RAMP[lower + 1]}))`
}
