import { inject } from "vue";
// sdk/src/types.ts
/** Props declaration for `defineProps` / `props:` (runtime shape of PluginWidgetProps). */
var widgetProps = {
	widgetId: {
		type: String,
		required: true
	},
	type: {
		type: String,
		required: true
	},
	settings: {
		type: Object,
		required: true
	},
	size: {
		type: Object,
		required: true
	},
	editing: {
		type: Boolean,
		required: true
	},
	theme: {
		type: String,
		required: true
	},
	filter: {
		type: Object,
		required: true
	}
};
var PluginApiError = class extends Error {
	status;
	body;
	constructor(status, message, body = null) {
		super(message);
		this.name = "PluginApiError";
		this.status = status;
		this.body = body;
	}
};
// sdk/src/context.ts
/** How a widget reaches its host: the host provides a context, the widget injects it. */
/**
* The injection key. It is the same symbol for the host and every plugin because `vue` and
* `@deskboard/sdk` are each loaded once, through the page's import map.
*/
var DESKBOARD_CONTEXT = Symbol.for("deskboard.plugin-context.v1");
/** The host's services for the calling widget (call it in `setup`). */
function useDeskboard() {
	const context = inject(DESKBOARD_CONTEXT, null);
	if (!context) throw new Error("useDeskboard() must be called in the setup of a widget that Deskboard renders");
	return context;
}
// sdk/src/allowList.ts
/** Open to every plugin. */
var ALWAYS_READABLE = ["/api/auth/me"];
var METHODS = [
	"GET",
	"POST",
	"PUT",
	"PATCH",
	"DELETE"
];
var PLUGIN_NAME = /^[a-z][a-z0-9_-]*$/;
var SEGMENT = /^[A-Za-z0-9_~-][A-Za-z0-9_.~-]*$/;
/** Whether `path` is `prefix` or below it (on a path-segment boundary). */
function under(path, prefix) {
	const base = prefix.endsWith("/") ? prefix.slice(0, -1) : prefix;
	return path === base || path.startsWith(`${base}/`);
}
/**
* Resolve a plugin's request path and say whether it is allowed. `path` without a leading
* slash is relative to `/api/plugins/<plugin>/`; the query goes in a separate argument, never in
* the path.
*/
function checkRequest(scope, method, path) {
	const { plugin } = scope;
	if (!PLUGIN_NAME.test(plugin)) return {
		ok: false,
		reason: `bad plugin name "${plugin}"`
	};
	if (!METHODS.includes(method)) return {
		ok: false,
		reason: `method ${method} is not allowed`
	};
	if (typeof path !== "string" || path.length === 0 || path.length > 512) return {
		ok: false,
		reason: "a path is required"
	};
	const own = `/api/plugins/${plugin}`;
	const absolute = path.startsWith("/") ? path : `${own}/${path}`;
	const segments = absolute.slice(1).split("/");
	if (absolute.endsWith("/") && segments.length > 1) segments.pop();
	if (segments.some((segment) => !SEGMENT.test(segment))) return {
		ok: false,
		reason: `"${path}" is not a plain path (no "..", "//", "?", "#" or escapes)`
	};
	if (under(absolute, own)) return {
		ok: true,
		url: absolute
	};
	if (method === "GET" && [...ALWAYS_READABLE, ...scope.coreReads].some((p) => under(absolute, p))) return {
		ok: true,
		url: absolute
	};
	return {
		ok: false,
		reason: `${method} ${absolute} is outside the API this plugin may use`
	};
}
/** Whether a plugin may receive events of `type` (`resync` always: it says events were missed). */
function eventAllowed(scope, type) {
	return type === "resync" || scope.events.some((prefix) => type.startsWith(prefix));
}
// sdk/src/range.ts
/**
* Plugin API ranges: comma-separated comparisons on whole versions, as the manifests write them
* (">=1,<2", "==1", "1", "~=1", "^1"). Anything else is refused, never guessed.
*/
var CLAUSE = /^(>=|<=|==|!=|>|<|~=|\^)?\s*(\d+)(?:\.\d+)*(?:\.\*)?$/;
/** Whether `version` satisfies `range`; throws on a range it cannot read. */
function satisfiesRange(range, version) {
	const clauses = range.split(",").map((c) => c.trim()).filter(Boolean);
	if (clauses.length === 0) throw new Error(`empty plugin API range "${range}"`);
	return clauses.every((clause) => {
		const match = CLAUSE.exec(clause);
		if (!match) throw new Error(`unreadable plugin API range "${range}"`);
		const bound = Number(match[2]);
		switch (match[1]) {
			case ">=": return version >= bound;
			case "<=": return version <= bound;
			case ">": return version > bound;
			case "<": return version < bound;
			case "!=": return version !== bound;
			default: return version === bound;
		}
	});
}
/** Null when a plugin declaring `range` may run on `version`, else the reason it may not. */
function rangeRefusal(range, version) {
	if (typeof range !== "string") return null;
	try {
		return satisfiesRange(range, version) ? null : `This plugin needs plugin API ${range}; this Deskboard provides plugin API ${version}.`;
	} catch (error) {
		return error instanceof Error ? error.message : String(error);
	}
}
// sdk/src/index.ts
var PLUGIN_API = 1;
/** Type helper for a plugin module's default export. */
function definePlugin(plugin) {
	return plugin;
}
export { ALWAYS_READABLE, DESKBOARD_CONTEXT, PLUGIN_API, PluginApiError, checkRequest, definePlugin, eventAllowed, rangeRefusal, satisfiesRange, useDeskboard, useDeskboard as useWidget, widgetProps };
