import { definePlugin as e, useDeskboard as t, widgetProps as n } from "@deskboard/sdk";
import { Fragment as r, computed as i, createCommentVNode as a, createElementBlock as o, createElementVNode as s, createTextVNode as c, defineComponent as l, normalizeClass as u, normalizeStyle as d, openBlock as f, ref as p, renderList as m, toDisplayString as h, unref as g, watch as _ } from "vue";
// ../plugins/heatmap/frontend/src/filter.ts
function v(e) {
	return typeof e != "object" || !e || Array.isArray(e) ? {} : Object.fromEntries(Object.entries(e).filter(([, e]) => e != null && e !== "" && !(Array.isArray(e) && e.length === 0)));
}
function y(e) {
	let t = v(e.settings.filters);
	return e.settings.follow_filter_panel === !0 ? {
		...t,
		...v(e.filter)
	} : t;
}
// ../plugins/heatmap/frontend/src/HeatMap.vue?vue&type=script&setup=true&lang.ts
var b = ["data-total", "data-filter"], x = {
	key: 0,
	class: "heat-error",
	role: "alert"
}, S = {
	key: 1,
	class: "heat-muted",
	role: "status"
}, C = {
	class: "heat-muted heat-summary",
	"data-testid": "heatmap-total"
}, w = { class: "heat-scroll" }, T = { class: "heat-grid" }, E = {
	scope: "row",
	class: "heat-day"
}, D = [
	"aria-label",
	"title",
	"data-testid",
	"data-count",
	"onClick"
], O = {
	key: 0,
	class: "heat-list",
	"data-testid": "heatmap-list",
	"aria-live": "polite"
}, k = { class: "heat-list-head" }, A = { class: "heat-muted" }, j = { key: 0 }, M = ["data-testid", "onClick"], N = { class: "heat-muted" }, P = { class: "heat-status" }, F = {
	key: 1,
	class: "heat-muted"
}, I = e({
	pluginApi: ">=1,<2",
	widgets: { "ticket-heatmap": /* @__PURE__ */ ((e, t) => {
		let n = e.__vccOpts || e;
		for (let [e, r] of t) n[e] = r;
		return n;
	})(/* @__PURE__ */ l({
		__name: "HeatMap",
		props: n,
		setup(e) {
			let n = [
				"Mon",
				"Tue",
				"Wed",
				"Thu",
				"Fri",
				"Sat",
				"Sun"
			], l = Array.from({ length: 24 }, (e, t) => t), v = e, { api: I, events: L, ui: R } = t(), z = p(null), B = p(""), V = p(null), H = p(null), U = p(0), W = i(() => {
				let e = Number(v.settings.days);
				return Number.isInteger(e) && e >= 7 && e <= 365 ? e : 28;
			}), G = i(() => ({
				filter: JSON.stringify(y(v)),
				days: W.value
			})), K = i(() => {
				let e = n.map(() => l.map(() => 0));
				for (let t of z.value?.cells ?? []) {
					let n = e[t.weekday];
					n && t.hour >= 0 && t.hour < 24 && (n[t.hour] = t.count);
				}
				return e;
			});
			async function q() {
				try {
					z.value = await I.get("cells", G.value), B.value = "", V.value && await J(V.value.weekday, V.value.hour);
				} catch (e) {
					B.value = e.message;
				}
			}
			async function J(e, t) {
				if (!v.editing) {
					V.value = {
						weekday: e,
						hour: t,
						count: K.value[e]?.[t] ?? 0
					}, H.value = null;
					try {
						let n = await I.get("tickets", {
							...G.value,
							weekday: e,
							hour: t
						});
						H.value = n.items, U.value = n.total;
					} catch (e) {
						B.value = e.message;
					}
				}
			}
			function Y(e) {
				let t = z.value?.max ?? 0;
				return !e || !t ? {} : { background: `color-mix(in srgb, var(--color-primary) ${Math.round(15 + 85 * e / t)}%, transparent)` };
			}
			let X = null;
			function Z() {
				X && clearTimeout(X), X = setTimeout(() => void q(), 400);
			}
			return _(G, () => void q(), { immediate: !0 }), L.on("ticket.created", Z), L.on("ticket.updated", Z), L.on("resync", Z), (e, t) => (f(), o("div", {
				class: "heat",
				"data-testid": "heatmap",
				"data-total": z.value?.total ?? "",
				"data-filter": G.value.filter
			}, [
				B.value ? (f(), o("p", x, h(B.value), 1)) : a("v-if", !0),
				!z.value && !B.value ? (f(), o("p", S, "Loading…")) : a("v-if", !0),
				z.value ? (f(), o(r, { key: 2 }, [
					s("p", C, h(z.value.total) + " tickets in the last " + h(z.value.days) + " days (" + h(z.value.tz) + ") ", 1),
					s("div", w, [s("table", T, [s("thead", null, [s("tr", null, [t[1] ||= s("th", { scope: "col" }, [s("span", { class: "heat-sr" }, "Day")], -1), (f(!0), o(r, null, m(g(l), (e) => (f(), o("th", {
						key: e,
						scope: "col",
						class: "heat-hour"
					}, h(e % 3 == 0 ? e : ""), 1))), 128))])]), s("tbody", null, [(f(), o(r, null, m(n, (e, t) => s("tr", { key: e }, [s("th", E, h(e), 1), (f(!0), o(r, null, m(g(l), (n) => (f(), o("td", { key: n }, [s("button", {
						type: "button",
						class: u(["heat-cell", { picked: V.value?.weekday === t && V.value?.hour === n }]),
						style: d(Y(K.value[t]?.[n] ?? 0)),
						"aria-label": `${e} ${n}:00, ${K.value[t]?.[n] ?? 0} tickets`,
						title: `${e} ${n}:00 — ${K.value[t]?.[n] ?? 0}`,
						"data-testid": `heatmap-cell-${t}-${n}`,
						"data-count": K.value[t]?.[n] ?? 0,
						onClick: (e) => J(t, n)
					}, null, 14, D)]))), 128))])), 64))])])]),
					V.value ? (f(), o("section", O, [s("header", k, [
						s("strong", null, h(n[V.value.weekday]) + " " + h(V.value.hour) + ":00", 1),
						s("span", A, h(H.value ? `${U.value} tickets` : "Loading…"), 1),
						s("button", {
							type: "button",
							class: "heat-close",
							"aria-label": "Close the list",
							onClick: t[0] ||= (e) => V.value = null
						}, "×")
					]), H.value?.length ? (f(), o("ul", j, [(f(!0), o(r, null, m(H.value, (e) => (f(), o("li", { key: e.id }, [s("button", {
						type: "button",
						class: "heat-ticket",
						"data-testid": `heatmap-ticket-${e.id}`,
						onClick: (t) => g(R).openTicket(e.id)
					}, [
						s("span", N, "#" + h(e.number ?? e.id), 1),
						c(" " + h(e.title) + " ", 1),
						s("span", P, h(e.status), 1)
					], 8, M)]))), 128))])) : H.value ? (f(), o("p", F, "No tickets in this hour.")) : a("v-if", !0)])) : a("v-if", !0)
				], 64)) : a("v-if", !0)
			], 8, b));
		}
	}), [["__scopeId", "data-v-367b2810"]]) }
});
export { I as default };
