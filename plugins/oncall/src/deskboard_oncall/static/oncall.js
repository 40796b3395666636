import { definePlugin as e, useDeskboard as t, widgetProps as n } from "@deskboard/sdk";
import { Fragment as r, computed as i, createBlock as a, createCommentVNode as o, createElementBlock as s, createElementVNode as c, createTextVNode as l, defineComponent as u, onMounted as d, openBlock as f, ref as p, renderList as m, toDisplayString as h, vModelSelect as g, vModelText as _, withDirectives as v, withModifiers as y } from "vue";
// ../plugins/oncall/frontend/src/RotaEditor.vue?vue&type=script&setup=true&lang.ts
var b = {
	class: "rota",
	"aria-label": "Rota",
	"data-testid": "oncall-rota"
}, x = { class: "rota-list" }, S = ["data-testid"], C = ["aria-label", "onClick"], w = {
	key: 0,
	class: "rota-muted"
}, T = ["value"], E = ["disabled"], D = {
	key: 0,
	class: "rota-error",
	role: "alert"
}, O = /*@__PURE__*/ u({
	__name: "RotaEditor",
	props: { me: {} },
	setup(e) {
		let n = e, { api: i, events: a, ui: u } = t(), O = p([]), k = p([n.me]), A = p(n.me.id), j = p(""), M = p(""), N = p(!1), P = p(""), F = new Intl.DateTimeFormat(void 0, {
			weekday: "short",
			day: "numeric",
			hour: "2-digit",
			minute: "2-digit"
		}), I = (e) => F.format(new Date(e));
		async function L() {
			try {
				O.value = (await i.get("shifts")).filter((e) => new Date(e.ends_at).getTime() > Date.now());
			} catch (e) {
				P.value = e.message;
			}
		}
		async function R() {
			try {
				let e = await i.get("people");
				e.length && (k.value = e);
			} catch {}
		}
		async function z() {
			P.value = "";
			let e = new Date(j.value), t = new Date(M.value);
			if (Number.isNaN(e.getTime()) || Number.isNaN(t.getTime()) || t <= e) P.value = "Give a start and a later end.";
			else {
				N.value = !0;
				try {
					await i.post("shifts", {
						user_id: A.value,
						starts_at: e.toISOString(),
						ends_at: t.toISOString()
					}), u.toast("Shift added", "success"), j.value = "", M.value = "";
				} catch (e) {
					P.value = e.message;
				} finally {
					N.value = !1;
				}
			}
		}
		async function B(e) {
			try {
				await i.delete(`shifts/${e.id}`);
			} catch (e) {
				P.value = e.message;
			}
		}
		return a.on("plugin.oncall.changed", () => void L()), d(() => {
			L(), R();
		}), (e, t) => (f(), s("section", b, [
			c("ul", x, [(f(!0), s(r, null, m(O.value, (e) => (f(), s("li", {
				key: e.id,
				"data-testid": `oncall-shift-${e.id}`
			}, [c("span", null, h(e.person_name) + " · " + h(I(e.starts_at)) + " – " + h(I(e.ends_at)), 1), c("button", {
				type: "button",
				class: "rota-remove",
				"aria-label": `Remove ${e.person_name}'s shift`,
				onClick: (t) => B(e)
			}, " Remove ", 8, C)], 8, S))), 128)), O.value.length ? o("v-if", !0) : (f(), s("li", w, "No shifts ahead."))]),
			c("form", {
				class: "rota-add",
				onSubmit: y(z, ["prevent"])
			}, [
				c("label", null, [t[3] ||= l(" Person ", -1), v(c("select", {
					"onUpdate:modelValue": t[0] ||= (e) => A.value = e,
					"data-testid": "oncall-add-person"
				}, [(f(!0), s(r, null, m(k.value, (e) => (f(), s("option", {
					key: e.id,
					value: e.id
				}, h(e.name), 9, T))), 128))], 512), [[
					g,
					A.value,
					void 0,
					{ number: !0 }
				]])]),
				c("label", null, [t[4] ||= l("From ", -1), v(c("input", {
					"onUpdate:modelValue": t[1] ||= (e) => j.value = e,
					type: "datetime-local",
					required: "",
					"data-testid": "oncall-add-from"
				}, null, 512), [[_, j.value]])]),
				c("label", null, [t[5] ||= l("Until ", -1), v(c("input", {
					"onUpdate:modelValue": t[2] ||= (e) => M.value = e,
					type: "datetime-local",
					required: "",
					"data-testid": "oncall-add-to"
				}, null, 512), [[_, M.value]])]),
				c("button", {
					type: "submit",
					disabled: N.value,
					"data-testid": "oncall-add"
				}, "Add shift", 8, E)
			], 32),
			P.value ? (f(), s("p", D, h(P.value), 1)) : o("v-if", !0)
		]));
	}
}), k = (e, t) => {
	let n = e.__vccOpts || e;
	for (let [e, r] of t) n[e] = r;
	return n;
}, A = /*#__PURE__*/ k(O, [["__scopeId", "data-v-8295492e"]]), j = {
	class: "oncall",
	"data-testid": "oncall-roster"
}, M = {
	key: 0,
	class: "oncall-error",
	role: "alert"
}, N = {
	key: 1,
	class: "oncall-muted",
	role: "status"
}, P = {
	class: "oncall-slot",
	"aria-label": "On call now"
}, F = {
	class: "oncall-name",
	"data-testid": "oncall-now"
}, I = { class: "oncall-muted" }, L = {
	key: 0,
	class: "oncall-note"
}, R = {
	key: 1,
	class: "oncall-muted",
	"data-testid": "oncall-now-empty"
}, z = {
	key: 0,
	class: "oncall-slot",
	"aria-label": "On call next"
}, B = {
	class: "oncall-name",
	"data-testid": "oncall-next"
}, V = { class: "oncall-muted" }, H = {
	key: 1,
	class: "oncall-muted"
}, U = ["aria-expanded"], W = e({
	pluginApi: ">=1,<2",
	widgets: { "oncall-roster": /* @__PURE__ */ k(/* @__PURE__ */ u({
		__name: "Roster",
		props: n,
		setup(e) {
			let n = e, { api: l, events: u } = t(), m = p(null), g = p(null), _ = p(""), v = p(!1), y = i(() => n.settings.show_next !== !1), b = p(null), x = p(!1);
			async function S() {
				try {
					let e = await l.get("now");
					m.value = e.now, g.value = e.next, _.value = "";
				} catch (e) {
					_.value = e.message;
				} finally {
					v.value = !0;
				}
			}
			let C = new Intl.DateTimeFormat(void 0, {
				weekday: "short",
				hour: "2-digit",
				minute: "2-digit"
			}), w = (e) => C.format(new Date(e));
			return u.on("plugin.oncall.changed", () => void S()), u.on("resync", () => void S()), d(() => {
				S(), l.get("/api/auth/me").then((e) => b.value = e).catch(() => void 0);
			}), (e, t) => (f(), s("div", j, [_.value ? (f(), s("p", M, h(_.value), 1)) : v.value ? (f(), s(r, { key: 2 }, [
				c("section", P, [t[1] ||= c("span", { class: "oncall-label" }, "Now", -1), m.value ? (f(), s(r, { key: 0 }, [
					c("strong", F, h(m.value.person_name), 1),
					c("span", I, "until " + h(w(m.value.ends_at)), 1),
					m.value.note ? (f(), s("span", L, h(m.value.note), 1)) : o("v-if", !0)
				], 64)) : (f(), s("span", R, "Nobody is on call"))]),
				y.value ? (f(), s("section", z, [t[2] ||= c("span", { class: "oncall-label" }, "Next", -1), g.value ? (f(), s(r, { key: 0 }, [c("strong", B, h(g.value.person_name), 1), c("span", V, "from " + h(w(g.value.starts_at)), 1)], 64)) : (f(), s("span", H, "Nothing planned"))])) : o("v-if", !0),
				b.value?.role === "admin" && !e.editing ? (f(), s("button", {
					key: 1,
					type: "button",
					class: "oncall-manage",
					"aria-expanded": x.value,
					"data-testid": "oncall-manage",
					onClick: t[0] ||= (e) => x.value = !x.value
				}, h(x.value ? "Close the rota" : "Edit the rota"), 9, U)) : o("v-if", !0),
				x.value && b.value && !e.editing ? (f(), a(A, {
					key: 2,
					me: {
						id: b.value.id,
						name: b.value.name
					}
				}, null, 8, ["me"])) : o("v-if", !0)
			], 64)) : (f(), s("p", N, "Loading…"))]));
		}
	}), [["__scopeId", "data-v-6aaab2cc"]]) }
});
export { W as default };
