/**
 * User Timing for plugin widgets: a `deskboard.plugin <name>` measure from the host's setup to
 * the widget mounted (bench/plugins.py reads them; DevTools shows them in the performance panel).
 */
export function pluginTimer(plugin: string, widgetId: string): () => void {
  const start = `deskboard.plugin ${plugin} ${widgetId} start`
  let done = false
  try {
    performance.mark(start)
  } catch {
    return () => undefined
  }
  return () => {
    if (done) return
    done = true
    try {
      performance.measure(`deskboard.plugin ${plugin}`, { start, detail: { widgetId } })
    } catch {
      // No User Timing (old browser, tests): nothing to record.
    }
  }
}
