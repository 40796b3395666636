import { definePlugin as e, useDeskboard as t, widgetProps as n } from "@deskboard/sdk";
import { Fragment as r, computed as i, createCommentVNode as a, createElementBlock as o, createElementVNode as s, defineComponent as c, onMounted as l, openBlock as u, ref as d, toDisplayString as f } from "vue";
// ../plugins/oncall/frontend/src/Roster.vue?vue&type=script&setup=true&lang.ts
var p = {
	class: "oncall",
	"data-testid": "oncall-roster"
}, m = {
	key: 0,
	class: "oncall-error",
	role: "alert"
}, h = {
	key: 1,
	class: "oncall-muted",
	role: "status"
}, g = {
	class: "oncall-slot",
	"aria-label": "On call now"
}, _ = {
	class: "oncall-name",
	"data-testid": "oncall-now"
}, v = { class: "oncall-muted" }, y = {
	key: 0,
	class: "oncall-note"
}, b = {
	key: 1,
	class: "oncall-muted",
	"data-testid": "oncall-now-empty"
}, x = {
	key: 0,
	class: "oncall-slot",
	"aria-label": "On call next"
}, S = {
	class: "oncall-name",
	"data-testid": "oncall-next"
}, C = { class: "oncall-muted" }, w = {
	key: 1,
	class: "oncall-muted"
}, T = e({
	pluginApi: ">=1,<2",
	widgets: { "oncall-roster": /* @__PURE__ */ ((e, t) => {
		let n = e.__vccOpts || e;
		for (let [e, r] of t) n[e] = r;
		return n;
	})(/* @__PURE__ */ c({
		__name: "Roster",
		props: n,
		setup(e) {
			let n = e, { api: c, events: T } = t(), E = d(null), D = d(null), O = d(""), k = d(!1), A = i(() => n.settings.show_next !== !1);
			async function j() {
				try {
					let e = await c.get("now");
					E.value = e.now, D.value = e.next, O.value = "";
				} catch (e) {
					O.value = e.message;
				} finally {
					k.value = !0;
				}
			}
			let M = new Intl.DateTimeFormat(void 0, {
				weekday: "short",
				hour: "2-digit",
				minute: "2-digit"
			}), N = (e) => M.format(new Date(e));
			return T.on("plugin.oncall.changed", () => void j()), T.on("resync", () => void j()), l(j), (e, t) => (u(), o("div", p, [O.value ? (u(), o("p", m, f(O.value), 1)) : k.value ? (u(), o(r, { key: 2 }, [s("section", g, [t[0] ||= s("span", { class: "oncall-label" }, "Now", -1), E.value ? (u(), o(r, { key: 0 }, [
				s("strong", _, f(E.value.person_name), 1),
				s("span", v, "until " + f(N(E.value.ends_at)), 1),
				E.value.note ? (u(), o("span", y, f(E.value.note), 1)) : a("v-if", !0)
			], 64)) : (u(), o("span", b, "Nobody is on call"))]), A.value ? (u(), o("section", x, [t[1] ||= s("span", { class: "oncall-label" }, "Next", -1), D.value ? (u(), o(r, { key: 0 }, [s("strong", S, f(D.value.person_name), 1), s("span", C, "from " + f(N(D.value.starts_at)), 1)], 64)) : (u(), o("span", w, "Nothing planned"))])) : a("v-if", !0)], 64)) : (u(), o("p", h, "Loading…"))]));
		}
	}), [["__scopeId", "data-v-b322ff1a"]]) }
});
export { T as default };
