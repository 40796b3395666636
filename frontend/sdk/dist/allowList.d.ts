/** What the catalogue grants one plugin (its `frontend` entry). */
export interface PluginScope {
    plugin: string;
    /** GET-only path prefixes, e.g. ["/api/tickets", "/api/analytics/"]. */
    coreReads: readonly string[];
    /** Event type prefixes, e.g. ["plugin.oncall.", "ticket."]. */
    events: readonly string[];
}
/** Open to every plugin. */
export declare const ALWAYS_READABLE: readonly string[];
export type RequestCheck = {
    ok: true;
    url: string;
} | {
    ok: false;
    reason: string;
};
/**
 * Resolve a plugin's request path and say whether it is allowed. `path` without a leading
 * slash is relative to `/api/plugins/<plugin>/`; the query goes in a separate argument, never in
 * the path.
 */
export declare function checkRequest(scope: PluginScope, method: string, path: string): RequestCheck;
/** Whether a plugin may receive events of `type` (`resync` always: it says events were missed). */
export declare function eventAllowed(scope: PluginScope, type: string): boolean;
