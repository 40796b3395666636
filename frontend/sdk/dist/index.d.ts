/**
 * @deskboard/sdk: plugin API v1. Shared with plugins through the page's import map (with `vue`),
 * so every plugin and the host use one copy of it.
 */
import type { Component } from 'vue';
export declare const PLUGIN_API = 1;
export * from './types';
export { DESKBOARD_CONTEXT, useDeskboard, useDeskboard as useWidget } from './context';
export { ALWAYS_READABLE, checkRequest, eventAllowed, type PluginScope, type RequestCheck } from './allowList';
export { rangeRefusal, satisfiesRange } from './range';
/** Type helper for a plugin module's default export. */
export declare function definePlugin<T extends {
    widgets: Record<string, Component>;
    pluginApi?: string;
}>(plugin: T): T;
